package dev.herald.webhooks.transport.redis;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;

/** A legacy consumer: a plain Jedis {@code SUBSCRIBE} on one channel, collecting raw messages. */
final class Subscriber implements AutoCloseable {

  final List<byte[]> messages = new CopyOnWriteArrayList<>();
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private final Jedis jedis;
  private final Thread thread;
  private final BinaryJedisPubSub pubSub =
      new BinaryJedisPubSub() {
        @Override
        public void onSubscribe(byte[] channel, int subscribedChannels) {
          subscribed.set(true);
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
          messages.add(message);
        }
      };

  private Subscriber(Jedis jedis, String channel) {
    this.jedis = jedis;
    this.thread =
        new Thread(
            () -> jedis.subscribe(pubSub, channel.getBytes(StandardCharsets.UTF_8)),
            "subscriber-" + channel);
    thread.setDaemon(true);
    thread.start();
    await("SUBSCRIBE " + channel).atMost(Duration.ofSeconds(10)).untilTrue(subscribed);
  }

  static Subscriber on(Jedis jedis, String channel) {
    return new Subscriber(jedis, channel);
  }

  /** Waits for {@code n} messages and returns them. */
  List<byte[]> awaitMessages(int n) {
    await("messages received").atMost(Duration.ofSeconds(10)).until(() -> messages.size() >= n);
    return List.copyOf(messages);
  }

  @Override
  public void close() throws InterruptedException {
    if (pubSub.isSubscribed()) {
      pubSub.unsubscribe();
    }
    thread.join(Duration.ofSeconds(10).toMillis());
    jedis.close();
  }
}
