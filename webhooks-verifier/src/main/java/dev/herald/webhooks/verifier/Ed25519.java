package dev.herald.webhooks.verifier;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 ({@code v1a}) through the JDK's EdDSA, looked up by name so that this jar keeps Java 11
 * bytecode: on a Java before 15 there is no such algorithm, and building a verifier with a public
 * key says so.
 */
final class Ed25519 {
  static final String PUBLIC_PREFIX = "whpk_";

  /** DER of X.509 SubjectPublicKeyInfo for Ed25519 up to the key; the 32-byte key follows. */
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private Ed25519() {}

  /** {@code whpk_} + Base64 of the 32-byte key, as a JDK public key. */
  static PublicKey publicKey(String text) {
    String encoded = text.strip();
    if (!encoded.startsWith(PUBLIC_PREFIX)) {
      throw new IllegalArgumentException("does not start with " + PUBLIC_PREFIX);
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(encoded.substring(PUBLIC_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not " + PUBLIC_PREFIX + " followed by Base64", e);
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException("decodes to " + raw.length + " bytes, not 32");
    }
    byte[] der = new byte[X509_PREFIX.length + 32];
    System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
    System.arraycopy(raw, 0, der, X509_PREFIX.length, 32);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(
          "Ed25519 (v1a) verification needs Java 15 or later; this is Java "
              + System.getProperty("java.version"),
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("is not an Ed25519 public key", e);
    }
  }

  /** Whether {@code signature} signs {@code prefix} followed by {@code body} under {@code key}. */
  static boolean verifies(PublicKey key, byte[] prefix, byte[] body, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(prefix);
      verifier.update(body);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // A malformed signature (wrong length) is no match, as for HMAC.
      return false;
    }
  }
}
