package io.testrig.backend.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.testrig.core.CallCount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeCliTest {
  @TempDir Path dir;

  @AfterEach
  void forget() {
    ComposeCli.forgetDetected();
  }

  @Test
  void pluginDirsAreTheDockerClisUserDirFirstThenTheSystemOnes() {
    assertEquals(
        List.of(
            Path.of("/cfg/cli-plugins"),
            Path.of("/usr/local/lib/docker/cli-plugins"),
            Path.of("/usr/local/libexec/docker/cli-plugins"),
            Path.of("/usr/lib/docker/cli-plugins"),
            Path.of("/usr/libexec/docker/cli-plugins")),
        ComposeCli.pluginDirs(Map.of("DOCKER_CONFIG", "/cfg")));
  }

  @Test
  void anInstalledPluginIsRunDirectlyWithoutStartingComposeToAskItsVersion() throws Exception {
    // A plugin that would fail if it were run: detection must not run it.
    Path plugins = Files.createDirectories(dir.resolve("cli-plugins"));
    Path plugin = plugins.resolve("docker-compose");
    Files.writeString(plugin, "#!/bin/sh\nexit 1\n");
    Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
    ComposeCli.forgetDetected();
    int before = CallCount.compose();
    assertEquals(
        List.of(plugin.toString()), ComposeCli.binary(Map.of("DOCKER_CONFIG", dir.toString())));
    assertEquals(before, CallCount.compose());
  }
}
