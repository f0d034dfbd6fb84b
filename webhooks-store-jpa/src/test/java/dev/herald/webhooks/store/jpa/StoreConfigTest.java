package dev.herald.webhooks.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreConfigTest {
  private static final Path DIR = Path.of("/var/herald");

  private static StoreConfig parse(String url) {
    return StoreConfig.fromDatabaseUrl(url, DIR, 10, Optional.empty());
  }

  @Test
  void postgresqlUrlBecomesJdbcUrlWithCredentials() {
    StoreConfig config = parse("postgresql://user:pass@host:5432/db");
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/db");
    assertThat(config.user()).isEqualTo("user");
    assertThat(config.password()).isEqualTo("pass");
    assertThat(config.isPostgres()).isTrue();
  }

  @Test
  void postgresSchemeWithoutPortKeepsQuery() {
    StoreConfig config = parse("postgres://u:p@db.example.com/herald?sslmode=require");
    assertThat(config.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.example.com/herald?sslmode=require");
  }

  @Test
  void percentEncodedCredentialsAreDecodedAndPlusStaysPlus() {
    StoreConfig config = parse("postgresql://us%40er:p%3As%2Fs+w%C3%B6rd@host/db");
    assertThat(config.user()).isEqualTo("us@er");
    assertThat(config.password()).isEqualTo("p:s/s+wörd");
  }

  @Test
  void jdbcUrlsPassThrough() {
    assertThat(parse("jdbc:postgresql://h/db?user=a").jdbcUrl())
        .isEqualTo("jdbc:postgresql://h/db?user=a");
    assertThat(parse("jdbc:h2:mem:x").jdbcUrl()).isEqualTo("jdbc:h2:mem:x");
  }

  @Test
  void emptyMeansEmbeddedH2InTheDirectory() {
    StoreConfig config = parse("  ");
    assertThat(config.jdbcUrl())
        .startsWith("jdbc:h2:file:/var/herald/herald;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE")
        .contains("AUTO_SERVER=TRUE");
    assertThat(config.isPostgres()).isFalse();
  }

  @Test
  void badUrlNamesTheKeyAndFormsButNotThePassword() {
    assertThatThrownBy(() -> parse("mysql://user:s3cr3t@host/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DATABASE_URL")
        .hasMessageContaining("postgresql://user:password@host:5432/database")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> parse("postgresql://user:s3cr3t#x@host/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DATABASE_URL")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> parse("postgresql://user:s3cr3t@host"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void toStringMasksPasswordAndKey() {
    StoreConfig config =
        StoreConfig.fromDatabaseUrl(
            "postgresql://u:s3cr3t@h/db", DIR, 5, Optional.of(new byte[32]));
    assertThat(config.toString()).doesNotContain("s3cr3t").contains("***");
  }

  @Test
  void secretsKeyMustBe32Bytes() {
    assertThatThrownBy(() -> StoreConfig.fromDatabaseUrl("", DIR, 5, Optional.of(new byte[16])))
        .hasMessageContaining("HERALD_SECRETS_KEY");
  }
}
