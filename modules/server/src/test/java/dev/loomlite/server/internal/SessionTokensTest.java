package dev.loomlite.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issuing, recognising and hashing session tokens. */
class SessionTokensTest {
    final SessionTokens tokens = new SessionTokens();

    @Test
    void an_issued_token_is_well_formed() {
        assertThat(SessionTokens.wellFormed(tokens.issue())).isTrue();
    }

    @Test
    void two_issued_tokens_differ() {
        assertThat(tokens.issue()).isNotEqualTo(tokens.issue());
    }

    @Test
    void null_short_and_foreign_tokens_are_not_well_formed() {
        assertThat(SessionTokens.wellFormed(null)).isFalse();
        assertThat(SessionTokens.wellFormed("abc")).isFalse();
        assertThat(SessionTokens.wellFormed("!".repeat(43))).isFalse();
    }

    @Test
    void the_hash_is_the_hex_sha_256_of_the_token() {
        assertThat(SessionTokens.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
