package dev.herald.webhooks.verifier;

/** A signature profile: how secrets become keys and how headers are read. Stateless. */
interface Profile {

  /** The profile's name as Herald's endpoint configuration spells it. */
  String name();

  /**
   * Turns a configured secret into HMAC key bytes.
   *
   * @throws IllegalArgumentException if the secret is unusable; the message must not contain it
   */
  byte[] key(String secret);

  /** Reads the headers; does not check the timestamp window or the signatures. */
  SignedRequest read(Headers headers) throws WebhookVerificationException;
}
