package dev.herald.webhooks.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** Checks that these tests exercise the packaged jar, and what that jar promises receivers. */
class PackagingIT {

  @Test
  void testsRunAgainstPackagedJar() {
    Path jar = ProcessRunner.verifierJar();
    assertThat(jar.getFileName().toString()).isEqualTo("webhooks-verifier.jar");
  }

  @Test
  void packagedClassesAreJava11Bytecode() throws Exception {
    try (JarFile jar = new JarFile(ProcessRunner.verifierJar().toFile())) {
      int classes = 0;
      for (JarEntry entry : Collections.list(jar.entries())) {
        if (!entry.getName().endsWith(".class")) {
          continue;
        }
        classes++;
        try (InputStream in = jar.getInputStream(entry);
            DataInputStream data = new DataInputStream(in)) {
          assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
          data.readUnsignedShort(); // minor
          assertThat(data.readUnsignedShort()).as(entry.getName()).isEqualTo(55);
        }
      }
      assertThat(classes).isPositive();
    }
  }

  @Test
  void manifestNamesVerifyCommandAsMainClass() throws Exception {
    try (JarFile jar = new JarFile(ProcessRunner.verifierJar().toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo(VerifyCommand.class.getName());
      assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo("dev.herald.webhooks.verifier");
    }
  }

  @Test
  void jarHoldsOnlyVerifierPackage() throws Exception {
    try (JarFile jar = new JarFile(ProcessRunner.verifierJar().toFile())) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        if (entry.getName().endsWith(".class")) {
          assertThat(entry.getName()).startsWith("dev/herald/webhooks/verifier/");
        }
      }
    }
  }
}
