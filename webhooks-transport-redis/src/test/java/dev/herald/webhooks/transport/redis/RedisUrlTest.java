package dev.herald.webhooks.transport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.transport.redis.RedisUrl.Node;
import dev.herald.webhooks.transport.redis.RedisUrl.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisUrlTest {

  @Test
  void plainUrlWithoutCredentialsOrDatabase() {
    RedisUrl url = RedisUrl.parse("redis://cache.internal:6380");

    assertThat(url.topology()).isEqualTo(Topology.STANDALONE);
    assertThat(url.nodes()).containsExactly(new Node("cache.internal", 6380));
    assertThat(url.user()).isNull();
    assertThat(url.password()).isNull();
    assertThat(url.database()).isZero();
    assertThat(url.tls()).isFalse();
  }

  @Test
  void portDefaultsTo6379() {
    assertThat(RedisUrl.parse("redis://localhost").nodes())
        .containsExactly(new Node("localhost", 6379));
  }

  @Test
  void userPasswordAndDatabaseIndex() {
    RedisUrl url = RedisUrl.parse("redis://herald:s3cret@10.0.0.5:6379/3");

    assertThat(url.user()).isEqualTo("herald");
    assertThat(url.password()).isEqualTo("s3cret");
    assertThat(url.database()).isEqualTo(3);
  }

  @Test
  void passwordWithoutUserMeansTheDefaultUser() {
    RedisUrl url = RedisUrl.parse("redis://:s3cret@localhost:6379");

    assertThat(url.user()).isNull();
    assertThat(url.password()).isEqualTo("s3cret");
  }

  @Test
  void percentEncodedSpecialCharactersInThePasswordAreDecoded() {
    RedisUrl url = RedisUrl.parse("redis://app%40team:p%40ss%3Aw%2Ford%25%20%23@localhost:6379/1");

    assertThat(url.user()).isEqualTo("app@team");
    assertThat(url.password()).isEqualTo("p@ss:w/ord% #");
    assertThat(url.database()).isEqualTo(1);
  }

  @Test
  void unencodedSlashAndAtInThePasswordStayInThePassword() {
    RedisUrl url = RedisUrl.parse("redis://u:pa/ss@word@localhost:6379/2");

    assertThat(url.password()).isEqualTo("pa/ss@word");
    assertThat(url.nodes()).containsExactly(new Node("localhost", 6379));
    assertThat(url.database()).isEqualTo(2);
  }

  @Test
  void redissMeansTls() {
    RedisUrl url = RedisUrl.parse("rediss://:pw@redis.example.com:6380");

    assertThat(url.tls()).isTrue();
    assertThat(url.topology()).isEqualTo(Topology.STANDALONE);
  }

  @Test
  void ipv6InBrackets() {
    assertThat(RedisUrl.parse("redis://[::1]:6379").nodes()).containsExactly(new Node("::1", 6379));
  }

  @Test
  void sentinelWithMasterNameAndCredentials() {
    RedisUrl url =
        RedisUrl.parse("redis-sentinel://:p%21w@sentinel-a:26379,sentinel-b:26380/mymaster");

    assertThat(url.topology()).isEqualTo(Topology.SENTINEL);
    assertThat(url.nodes())
        .containsExactly(new Node("sentinel-a", 26379), new Node("sentinel-b", 26380));
    assertThat(url.masterName()).isEqualTo("mymaster");
    assertThat(url.password()).isEqualTo("p!w");
  }

  @Test
  void sentinelPortDefaultsTo26379() {
    assertThat(RedisUrl.parse("redis-sentinel://s1,s2/m").nodes())
        .containsExactly(new Node("s1", 26379), new Node("s2", 26379));
  }

  @Test
  void sentinelWithoutMasterNameIsRejected() {
    assertThatThrownBy(() -> RedisUrl.parse("redis-sentinel://s1:26379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("REDIS_URL (redis.url)")
        .hasMessageContaining("master name");
  }

  @Test
  void clusterSchemeWithNodeList() {
    RedisUrl url = RedisUrl.parse("redis-cluster://u:pw@n1:7000,n2:7001,n3:7002");

    assertThat(url.topology()).isEqualTo(Topology.CLUSTER);
    assertThat(url.nodes())
        .containsExactly(new Node("n1", 7000), new Node("n2", 7001), new Node("n3", 7002));
    assertThat(url.user()).isEqualTo("u");
    assertThat(url.password()).isEqualTo("pw");
  }

  @Test
  void bareCommaSeparatedListIsACluster() {
    RedisUrl url = RedisUrl.parse("10.0.0.1:7000, 10.0.0.2:7000");

    assertThat(url.topology()).isEqualTo(Topology.CLUSTER);
    assertThat(url.nodes()).containsExactly(new Node("10.0.0.1", 7000), new Node("10.0.0.2", 7000));
  }

  @Test
  void bareSingleHostIsRejectedAsAmbiguous() {
    assertThatThrownBy(() -> RedisUrl.parse("localhost:6379"))
        .hasMessageContaining("two or more nodes")
        .hasMessageContaining("redis://");
  }

  @Test
  void clusterHasNoDatabaseIndex() {
    assertThatThrownBy(() -> RedisUrl.parse("redis-cluster://n1:7000/2"))
        .hasMessageContaining("db 0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://:hunter2@localhost:6379",
        "redis://:hunter2@localhost:notaport",
        "redis://:hunter2@localhost:6379/db",
        "redis://:hunter2@a:1,b:2",
        "redis://hunter2@localhost:6379",
        "redis://:hunter2%zz@localhost:6379",
        "redis://:hunter2@:6379",
        "redis://:hunter2@localhost:70000",
        "hunter2@a:1,b:2",
        "redis-cluster://:hunter2@n1:7000,,n2:7000"
      })
  void errorsNameTheKeyAndTheFormsButNeverThePassword(String text) {
    assertThatThrownBy(() -> RedisUrl.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("REDIS_URL (redis.url) '")
        .hasMessageContaining("redis-sentinel://")
        .hasMessageContaining("redis-cluster://")
        .hasMessageNotContaining("hunter2")
        .hasNoCause();
  }

  @Test
  void toStringMasksThePassword() {
    RedisUrl url = RedisUrl.parse("redis://herald:hunter2@localhost:6379/4");

    assertThat(url.toString()).isEqualTo("redis://herald:****@localhost:6379/4");
    assertThat(RedisUrl.parse("redis-sentinel://:hunter2@s1:26379/m").toString())
        .isEqualTo("redis-sentinel://:****@s1:26379/m");
  }
}
