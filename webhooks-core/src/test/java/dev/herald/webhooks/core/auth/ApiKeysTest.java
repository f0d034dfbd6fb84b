package dev.herald.webhooks.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

  @Test
  void generatedKeysArePrefixedUrlSafeAndUnique() {
    String key = ApiKeys.generate(ApiKeys.PREFIX);
    assertThat(key).matches("hrk_[A-Za-z0-9_-]{43}");
    assertThat(ApiKeys.generate(ApiKeys.PREFIX)).isNotEqualTo(key);
  }

  @Test
  void hashIsStableAndDoesNotContainTheKey() {
    String key = ApiKeys.generate(ApiKeys.PREFIX);
    assertThat(ApiKeys.hash(key))
        .isEqualTo(ApiKeys.hash(key))
        .startsWith("sha256:")
        .doesNotContain(key.substring(4));
    assertThat(ApiKeys.hash(key + "x")).isNotEqualTo(ApiKeys.hash(key));
  }

  @Test
  void operatorKeyMatchesOnlyTheExactKey() {
    assertThat(ApiKeys.matchesOperatorKey("s3cret-operator", "s3cret-operator")).isTrue();
    assertThat(ApiKeys.matchesOperatorKey("s3cret-operato", "s3cret-operator")).isFalse();
    assertThat(ApiKeys.matchesOperatorKey("s3cret-operator", "")).isFalse();
    assertThat(ApiKeys.matchesOperatorKey(null, "s3cret-operator")).isFalse();
  }

  @Test
  void issuedKeyNeverPrintsItsSecret() {
    ApiKeys.Issued issued = new ApiKeys.Issued(null, "hrk_secretsecret");
    assertThat(issued.toString()).doesNotContain("secretsecret");
  }
}
