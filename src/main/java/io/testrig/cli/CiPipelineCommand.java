package io.testrig.cli;

import io.testrig.ci.ChildPipeline;
import io.testrig.core.TestrigException;
import io.testrig.rig.Matrix;
import io.testrig.rig.Rig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Write a GitLab child pipeline with one `testrig run --only` job per matrix config (or per"
          + " shard of configs with --max-jobs), for `trigger: include: artifact:`.",
      "Configs are checked against the rig first: an unknown one is exit 2 naming the valid ones."
    })
final class CiPipelineCommand implements Callable<Integer> {
  @Mixin CiSelectOptions select;
  @Spec CommandSpec spec;

  @Option(
      names = "--image",
      defaultValue = "${env:CI_JOB_IMAGE}",
      paramLabel = "IMAGE:TAG",
      description = "Builder image of the jobs (default: $CI_JOB_IMAGE, this job's image).")
  String image;

  @Option(
      names = "--job-name",
      defaultValue = "testrig",
      paramLabel = "NAME",
      description = "Job name; each job gets ` [config]` appended (default: ${DEFAULT-VALUE}).")
  String jobName;

  @Option(
      names = "--stage",
      defaultValue = "test",
      paramLabel = "STAGE",
      description = "Stage of the jobs (default: ${DEFAULT-VALUE}).")
  String stage;

  @Option(
      names = "--timeout",
      defaultValue = "30m",
      paramLabel = "DURATION",
      description = "Job timeout (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--expire-in",
      defaultValue = "1 week",
      paramLabel = "DURATION",
      description = "Artifact expiry (default: ${DEFAULT-VALUE}).")
  String expireIn;

  @Option(
      names = "--artifact-paths",
      defaultValue = "[\"testrig-artifacts/\"]",
      paramLabel = "JSON",
      description = "Artifact paths, a JSON list or one path (default: ${DEFAULT-VALUE}).")
  String artifactPaths;

  @Option(
      names = "--max-jobs",
      defaultValue = "0",
      paramLabel = "N",
      description = "At most N jobs, configs split into shards; 0: one job per config (default).")
  int maxJobs;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the pipeline to FILE (default: standard output).")
  Path output;

  @Override
  public Integer call() {
    if (image == null || image.isBlank()) {
      throw TestrigException.badInput("--image: none given and $CI_JOB_IMAGE is not set");
    }
    ChildPipeline.Options opts =
        new ChildPipeline.Options(
            select.file.toString(),
            image,
            jobName,
            stage,
            timeout,
            expireIn,
            ChildPipeline.listValue(artifactPaths, "--artifact-paths"),
            maxJobs);
    Rig rig = select.load();
    List<Matrix.Config> configs = select.select(rig);
    List<ChildPipeline.Job> jobs = ChildPipeline.jobs(configs, opts);
    String yaml = ChildPipeline.yaml(rig, jobs, opts);
    if (output == null) {
      spec.commandLine().getOut().print(yaml);
      spec.commandLine().getOut().flush();
      return 0;
    }
    ChildPipeline.write(output, yaml);
    spec.commandLine()
        .getOut()
        .printf("%s: %d config(s) in %d job(s)%n", output, configs.size(), jobs.size());
    jobs.forEach(j -> spec.commandLine().getOut().println("  " + j.name()));
    return 0;
  }
}
