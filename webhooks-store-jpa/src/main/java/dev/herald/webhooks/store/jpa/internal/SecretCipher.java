package dev.herald.webhooks.store.jpa.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for secrets at rest. The output is a version byte, a random 12-byte nonce and the
 * ciphertext with its 16-byte tag. The associated data (the endpoint id) binds a ciphertext to its
 * row, so a value copied onto another endpoint does not decrypt. Thread-safe.
 */
public final class SecretCipher {
  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  public SecretCipher(byte[] key) {
    if (key == null || key.length != 32) {
      throw new IllegalArgumentException(
          "the secrets key must be 32 bytes, was " + (key == null ? "null" : key.length));
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  /** A fresh random 32-byte key. */
  public static byte[] generateKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  public byte[] encrypt(byte[] plain, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plain);
      byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
      out[0] = VERSION;
      System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * @throws SecretDecryptionException when the data was altered, belongs to another row, or was
   *     encrypted with another key
   */
  public byte[] decrypt(byte[] sealed, String associatedData) {
    if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
      throw new SecretDecryptionException("not a Herald secret ciphertext");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES)));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new SecretDecryptionException(
          "secret does not decrypt: wrong HERALD_SECRETS_KEY or altered data");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** A secret could not be decrypted. */
  public static final class SecretDecryptionException extends RuntimeException {
    SecretDecryptionException(String message) {
      super(message);
    }
  }
}
