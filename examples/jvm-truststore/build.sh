#!/usr/bin/env bash
# Compiles the example's JUnit test into classes/ with the JUnit console launcher on the class
# path (it bundles the JUnit Jupiter API). JUNIT_CONSOLE defaults to the jar `mvn package` copies.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=${JUNIT_CONSOLE:-$here/../../target/junit-console/junit-platform-console-standalone.jar}
[ -f "$jar" ] || { echo "build.sh: $jar missing; run mvn -DskipTests package or set JUNIT_CONSOLE" >&2; exit 2; }
rm -rf "$here/classes"
javac -d "$here/classes" -cp "$jar" "$here"/src/example/*.java
echo "build.sh: compiled into $here/classes"
