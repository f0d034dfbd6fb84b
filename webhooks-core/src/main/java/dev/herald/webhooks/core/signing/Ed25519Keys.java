package dev.herald.webhooks.core.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ed25519 keys of the Standard Webhooks asymmetric scheme ({@code v1a}), with the JDK's EdDSA. A
 * private key is {@code whsk_} + Base64 of its 32-byte seed followed by the 32-byte public key (it
 * never leaves the server, encrypted at rest like the HMAC secrets); a public key is {@code whpk_}
 * + Base64 of the raw 32 bytes, as the tenant's receivers take it.
 */
public final class Ed25519Keys {
  public static final String PRIVATE_PREFIX = "whsk_";
  public static final String PUBLIC_PREFIX = "whpk_";

  /** DER of PKCS#8 for Ed25519 up to the seed; the seed follows. */
  private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");

  /** DER of X.509 SubjectPublicKeyInfo for Ed25519 up to the key; the key follows. */
  private static final byte[] X509_PREFIX = hex("302a300506032b6570032100");

  private Ed25519Keys() {}

  /** Whether a stored signing secret is an Ed25519 private key rather than an HMAC secret. */
  public static boolean isPrivateKey(String secret) {
    return secret.startsWith(PRIVATE_PREFIX);
  }

  /** A new key pair, as the {@code whsk_} private key. */
  public static String generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] pkcs8 = pair.getPrivate().getEncoded();
      byte[] x509 = pair.getPublic().getEncoded();
      byte[] both = new byte[64];
      System.arraycopy(pkcs8, PKCS8_PREFIX.length, both, 0, 32);
      System.arraycopy(x509, X509_PREFIX.length, both, 32, 32);
      return PRIVATE_PREFIX + Base64.getEncoder().encodeToString(both);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available in this JDK", e);
    }
  }

  /** The {@code whpk_} public key of a {@code whsk_} private key. */
  public static String publicKeyOf(String privateKey) {
    byte[] both = decode(privateKey);
    return PUBLIC_PREFIX + Base64.getEncoder().encodeToString(Arrays.copyOfRange(both, 32, 64));
  }

  /** The JDK private key of a {@code whsk_} key. */
  public static PrivateKey privateKey(String privateKey) {
    byte[] seed = Arrays.copyOfRange(decode(privateKey), 0, 32);
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 private key", e);
    }
  }

  /** The JDK public key of a {@code whpk_} key. */
  public static PublicKey publicKey(String publicKey) {
    if (!publicKey.startsWith(PUBLIC_PREFIX)) {
      throw new IllegalArgumentException("an Ed25519 public key starts with " + PUBLIC_PREFIX);
    }
    byte[] raw = Base64.getDecoder().decode(publicKey.substring(PUBLIC_PREFIX.length()));
    if (raw.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, was " + raw.length);
    }
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }

  /** The Ed25519 signature of {@code parts} one after the other. */
  public static byte[] sign(PrivateKey key, byte[]... parts) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key);
      for (byte[] part : parts) {
        signature.update(part);
      }
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  private static byte[] decode(String privateKey) {
    if (!isPrivateKey(privateKey)) {
      throw new IllegalArgumentException("an Ed25519 private key starts with " + PRIVATE_PREFIX);
    }
    byte[] both = Base64.getDecoder().decode(privateKey.substring(PRIVATE_PREFIX.length()));
    if (both.length != 64) {
      throw new IllegalArgumentException("a whsk_ key has 64 bytes, was " + both.length);
    }
    return both;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
