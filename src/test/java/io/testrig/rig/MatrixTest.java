package io.testrig.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.TestrigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatrixTest {
  private static Rig rig(String yaml) {
    return new RigLoader().parse(Path.of("/r/testrig.yml"), yaml);
  }

  @Test
  void noMatrixIsOneSingleConfig() {
    assertEquals(List.of(Matrix.Config.SINGLE), Matrix.expand(rig("name: x")));
  }

  @Test
  void crossProductInWrittenOrder() {
    List<Matrix.Config> configs =
        Matrix.expand(rig("matrix:\n  pg.version: [16, 17]\n  ssl.enabled: [true, false]\n"));
    assertEquals(4, configs.size());
    assertEquals("pg.version=16,ssl.enabled=true", configs.get(0).name());
    assertEquals("16-true", configs.get(0).slug());
    assertEquals(Map.of("pg.version", 17, "ssl.enabled", false), configs.get(3).values());
  }

  @Test
  void onlySelectsByNameOrSlug() {
    Rig r = rig("matrix:\n  pg: [16, 17]\n  mem: [256m, 1G]\n");
    assertEquals("pg=17,mem=1G", Matrix.select(r, "pg=17,mem=1G").get(0).name());
    assertEquals("pg=16,mem=256m", Matrix.select(r, "16-256m").get(0).name());
    assertEquals(4, Matrix.select(r, null).size());
    TestrigException e = assertThrows(TestrigException.class, () -> Matrix.select(r, "pg=15"));
    assertTrue(e.getMessage().contains("--only 'pg=15' matches no matrix config"), e.getMessage());
    assertTrue(e.getMessage().contains("pg=16,mem=256m"), e.getMessage());
  }
}
