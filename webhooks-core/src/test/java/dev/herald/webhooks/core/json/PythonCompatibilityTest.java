package dev.herald.webhooks.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs real Python 3 over bodies written in the {@code PYTHON_SORTED} style: {@code
 * json.dumps(json.loads(body), sort_keys=True)} must give the same bytes back, which is what a
 * legacy receiver following the seed recipe computes before verifying.
 */
class PythonCompatibilityTest {

  @TempDir Path dir;

  @Test
  void pythonReserializesOurLegacyBodiesToTheSameBytes() throws Exception {
    List<Object> corpus = new ArrayList<>();
    corpus.add(Map.of("text", "café 🚀 \u0000 \u007f \u2028 \"q\" \\ \n\t", "ключ", "значение"));
    corpus.add(
        Map.of(
            "floats",
            List.of(0.1, 1e16, 1e-5, 5e-324, 1.7976931348623157e308, -0.0, 2.5e-7, 100.0)));
    corpus.add(
        Map.of(
            "ints",
            List.of(0, -1, Long.MAX_VALUE, new java.math.BigInteger("99999999999999999999999"))));
    corpus.add(
        Map.of("nested", Map.of("b", List.of(Map.of("z", true, "a", false)), "a", Map.of())));
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("d" + i, Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL));
      map.put("f" + i, random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
      int codePoint = 0x20 + random.nextInt(0x1F000);
      if (Character.isSurrogate((char) codePoint)) {
        codePoint += 0x800; // a surrogate alone is not text: JsonWriter refuses it
      }
      map.put("s" + i, new String(Character.toChars(codePoint)));
      corpus.add(map);
    }

    List<String> bodies = new ArrayList<>();
    for (Object value : corpus) {
      bodies.add(JsonWriter.write(value, JsonWriter.Style.PYTHON_SORTED));
    }
    Path input = dir.resolve("bodies.txt");
    Files.writeString(input, String.join("\n", bodies) + "\n", StandardCharsets.UTF_8);

    String script =
        "import json,sys\n"
            + "for line in open(sys.argv[1], encoding='utf-8'):\n"
            + "    line = line.rstrip('\\n')\n"
            + "    print(json.dumps(json.loads(line), sort_keys=True))\n";
    Process process =
        new ProcessBuilder("python3", "-c", script, input.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output.split("\n", -1)).hasSize(bodies.size() + 1);
    List<String> lines = List.of(output.split("\n"));
    for (int i = 0; i < bodies.size(); i++) {
      assertThat(lines.get(i)).as("body %d", i).isEqualTo(bodies.get(i));
    }
  }

  @Test
  void pythonReadsOurCompactBodiesAsTheSameValue() throws IOException, InterruptedException {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("z", "café 🚀");
    map.put("a", List.of(1, 0.1, true));
    String compact = JsonWriter.write(map, JsonWriter.Style.COMPACT);
    Process process =
        new ProcessBuilder(
                "python3",
                "-c",
                "import json,sys; print(json.dumps(json.loads(sys.stdin.read()), sort_keys=True))")
            .start();
    process.getOutputStream().write(compact.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(output).isEqualTo(JsonWriter.write(map, JsonWriter.Style.PYTHON_SORTED));
  }
}
