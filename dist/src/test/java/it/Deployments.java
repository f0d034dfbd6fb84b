package it;

import java.io.File;
import java.net.URISyntaxException;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The Arquillian deployment: the WAR that dist packages, plus the test classes and libraries, and
 * the example RabbitMQ transport in WEB-INF/lib (where a provider jar goes on servers without
 * Liberty's extensions folder), so that the admin UI tests can choose a second transport.
 */
public final class Deployments {
  private Deployments() {}

  public static WebArchive heraldWar() {
    String path = System.getProperty("herald.war");
    if (path == null || !new File(path).isFile()) {
      throw new IllegalStateException(
          "system property herald.war must name the built WAR (set by failsafe), was " + path);
    }
    return ShrinkWrap.create(ZipImporter.class, "herald-it.war")
        .importFrom(new File(path))
        .as(WebArchive.class)
        .addPackage(Deployments.class.getPackage())
        .addAsLibraries(
            jarOf(org.assertj.core.api.Assertions.class),
            jarOf(org.awaitility.Awaitility.class),
            jarOf(org.hamcrest.Matcher.class),
            jarOf(dev.herald.webhooks.verifier.WebhookVerifier.class),
            new File(System.getProperty("herald.example.transport.jar")));
  }

  private static File jarOf(Class<?> type) {
    try {
      return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
