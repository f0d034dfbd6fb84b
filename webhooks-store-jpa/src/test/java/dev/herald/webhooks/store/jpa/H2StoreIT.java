package dev.herald.webhooks.store.jpa;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** The contract on embedded H2 (PostgreSQL mode) in a temporary directory. */
class H2StoreIT extends StoreContractTest {
  private Path directory;

  @Override
  StoreConfig createDatabase() throws Exception {
    directory = Files.createTempDirectory("herald-h2-");
    return StoreConfig.embedded(directory, 10, Optional.empty());
  }

  @Override
  void dropDatabase() throws Exception {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
