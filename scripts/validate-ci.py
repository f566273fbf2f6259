#!/usr/bin/python3
"""Validates GitLab CI files against GitLab's own JSON schema (app/assets/javascripts/editor/schema/ci.json).

A CI/CD component or a template with inputs is two YAML documents: a `spec:` header, `---`, then the
configuration. GitLab validates the header, then interpolates `$[[ inputs.NAME ]]` in the parsed
configuration (https://docs.gitlab.com/ci/inputs/): a value that is exactly one interpolation takes
the input's typed value (an array stays an array), anything else gets it as text. This script does
the same with each input's default (or --input NAME=VALUE) and then validates the result, so what is
checked is what GitLab would run; `extends` is merged too. It also fails on an input that is used but not declared, declared
but unused, or whose default does not match its type.

Uses Debian's python3-jsonschema and python3-yaml (scripts/setup-host.sh installs them).
Exit codes: 0 all valid, 1 a file is invalid, 2 usage error.
"""
import argparse
import json
import re
import sys

import jsonschema
import yaml

INTERPOLATION = re.compile(r"\$\[\[\s*inputs\.([A-Za-z0-9_-]+)\s*\]\]")
TYPES = {"string": str, "array": list, "boolean": bool, "number": (int, float)}


class GitLabLoader(yaml.SafeLoader):
    """SafeLoader that keeps GitLab's `!reference [job, key]` tag as a plain list."""


GitLabLoader.add_constructor(
    "!reference", lambda loader, node: loader.construct_sequence(node)
)


def interpolate(node, inputs, used):
    if isinstance(node, dict):
        return {interpolate(k, inputs, used): interpolate(v, inputs, used) for k, v in node.items()}
    if isinstance(node, list):
        return [interpolate(v, inputs, used) for v in node]
    if isinstance(node, str):
        names = INTERPOLATION.findall(node)
        used.update(names)
        whole = INTERPOLATION.fullmatch(node.strip())
        if whole and whole.group(1) in inputs:
            return inputs[whole.group(1)]
        return INTERPOLATION.sub(lambda m: text(inputs, m), node)
    return node


def text(inputs, match):
    """An input inside a longer string: GitLab writes an array as JSON (["a", "b"])."""
    if match.group(1) not in inputs:
        return match.group(0)
    value = inputs[match.group(1)]
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def merge(base, override):
    """GitLab's `extends` merge: mappings merge key by key, anything else is replaced."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def resolve_extends(config, problems, path):
    """Every job with `extends` merged as GitLab does (https://docs.gitlab.com/ci/yaml/#extends),
    so the schema sees the job GitLab would run, not just its `extends` line."""
    done = {}

    def job(name, seen):
        if name in done:
            return done[name]
        body = config.get(name)
        if not isinstance(body, dict):
            return body
        parents = body.get("extends", [])
        parents = [parents] if isinstance(parents, str) else parents
        merged = {}
        for parent in parents:
            if parent in seen:
                problems.append(f"{path}: {name}: extends loops through {parent}")
                continue
            if not isinstance(config.get(parent), dict):
                problems.append(f"{path}: {name}: extends unknown job '{parent}'")
                continue
            merged = merge(merged, job(parent, seen | {parent}))
        merged = merge(merged, {k: v for k, v in body.items() if k != "extends"})
        done[name] = merged
        return merged

    return {name: job(name, {name}) for name in config}


def where(error):
    path = ".".join(str(p) for p in error.absolute_path)
    return path or "(top level)"


def check_file(path, validator, overrides, dump=None):
    problems = []
    try:
        with open(path, encoding="utf-8") as f:
            docs = [d for d in yaml.load_all(f, Loader=GitLabLoader)]
    except (OSError, yaml.YAMLError) as e:
        return [f"{path}: cannot read: {str(e).splitlines()[0]}"]
    docs = [d for d in docs if d is not None]
    header, config = {}, None
    if len(docs) == 2 and isinstance(docs[0], dict) and set(docs[0]) == {"spec"}:
        header, config = docs
    elif len(docs) == 1:
        config = docs[0]
    else:
        return [f"{path}: expected one document, or a spec header, '---' and the configuration"]
    for e in validator.iter_errors(header):
        problems.append(f"{path}: header {where(e)}: {e.message}")
    declared = ((header.get("spec") or {}).get("inputs") or {})
    values = {}
    for name, spec in declared.items():
        spec = spec or {}
        kind = spec.get("type", "string")
        if name in overrides:
            values[name] = overrides[name]
            if kind in ("number", "boolean") and isinstance(values[name], str):
                try:
                    values[name] = json.loads(values[name])
                except json.JSONDecodeError:
                    pass
        elif "default" in spec:
            values[name] = spec["default"]
        else:
            problems.append(f"{path}: spec.inputs.{name}: no default; pass --input {name}=VALUE")
            continue
        if kind in TYPES and not isinstance(values[name], TYPES[kind]):
            problems.append(f"{path}: spec.inputs.{name}: default is not of type {kind}")
        if "options" in spec and values[name] not in spec["options"]:
            problems.append(f"{path}: spec.inputs.{name}: {values[name]!r} is not one of {spec['options']}")
    used = set()
    resolved = interpolate(config, values, used)
    for name in sorted(used - set(declared)):
        problems.append(f"{path}: input '{name}' is used but not declared in spec.inputs")
    for name in sorted(set(declared) - used):
        problems.append(f"{path}: spec.inputs.{name} is declared but never used")
    if not isinstance(resolved, dict):
        return problems + [f"{path}: the configuration is not a mapping"]
    resolved = resolve_extends(resolved, problems, path)
    if dump is not None:
        dump[path] = resolved
    for e in sorted(validator.iter_errors(resolved), key=lambda e: list(e.absolute_path)):
        problems.append(f"{path}: {where(e)}: {e.message[:300]}")
    return problems


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--schema", required=True, help="GitLab's ci.json schema")
    p.add_argument("--input", action="append", default=[], metavar="NAME=VALUE",
                   help="input value instead of its default (JSON for arrays)")
    p.add_argument("--print-resolved", action="store_true",
                   help="print each file's resolved configuration as one line of JSON")
    p.add_argument("files", nargs="+")
    args = p.parse_args()
    overrides = {}
    for item in args.input:
        name, sep, value = item.partition("=")
        if not sep:
            p.error(f"--input {item}: expected NAME=VALUE")
        try:
            overrides[name] = json.loads(value) if value[:1] in "[{" else value
        except json.JSONDecodeError as e:
            p.error(f"--input {item}: {e}")
    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft7Validator(schema)
    failed = False
    for path in args.files:
        dump = {} if args.print_resolved else None
        problems = check_file(path, validator, overrides, dump)
        if dump:
            print(f"{path}: resolved: " + json.dumps(dump[path], sort_keys=True))
        for line in problems:
            print(line)
        if problems:
            failed = True
        else:
            print(f"{path}: ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
