package dev.herald.webhooks.store.jpa.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
  private final SecretCipher cipher = new SecretCipher(SecretCipher.generateKey());
  private final byte[] plain = "whsec_c2VjcmV0".getBytes(StandardCharsets.UTF_8);

  @Test
  void roundTripsAndNeverRepeatsCiphertext() {
    byte[] a = cipher.encrypt(plain, "endpoint:wh_1");
    byte[] b = cipher.encrypt(plain, "endpoint:wh_1");
    assertThat(a).isNotEqualTo(b);
    assertThat(new String(a, StandardCharsets.ISO_8859_1)).doesNotContain("whsec_");
    assertThat(cipher.decrypt(a, "endpoint:wh_1")).isEqualTo(plain);
  }

  @Test
  void detectsTampering() {
    byte[] sealed = cipher.encrypt(plain, "endpoint:wh_1");
    sealed[sealed.length - 5] ^= 1;
    assertThatThrownBy(() -> cipher.decrypt(sealed, "endpoint:wh_1"))
        .isInstanceOf(SecretCipher.SecretDecryptionException.class);
  }

  @Test
  void ciphertextOfAnotherRowDoesNotDecrypt() {
    byte[] sealed = cipher.encrypt(plain, "endpoint:wh_1");
    assertThatThrownBy(() -> cipher.decrypt(sealed, "endpoint:wh_2"))
        .isInstanceOf(SecretCipher.SecretDecryptionException.class);
  }

  @Test
  void wrongKeyFails() {
    byte[] sealed = cipher.encrypt(plain, "endpoint:wh_1");
    SecretCipher other = new SecretCipher(SecretCipher.generateKey());
    assertThatThrownBy(() -> other.decrypt(sealed, "endpoint:wh_1"))
        .isInstanceOf(SecretCipher.SecretDecryptionException.class)
        .hasMessageContaining("HERALD_SECRETS_KEY");
  }

  @Test
  void rejectsKeysThatAreNot32Bytes() {
    assertThatThrownBy(() -> new SecretCipher(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsTruncatedInput() {
    assertThatThrownBy(() -> cipher.decrypt(new byte[] {1, 2, 3}, "x"))
        .isInstanceOf(SecretCipher.SecretDecryptionException.class);
  }
}
