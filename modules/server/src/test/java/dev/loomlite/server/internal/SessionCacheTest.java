package dev.loomlite.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.server.internal.SessionStore.Row;
import dev.loomlite.server.internal.Sessions.User;
import org.junit.jupiter.api.Test;

/** The session cache's rules for rows that race with sign-outs, renames and renewals. */
class SessionCacheTest {
    final SessionCache cache = new SessionCache();
    final Row alice = new Row(new User("u1", "Alice"), 1_000, 1_000, false);

    @Test
    void a_row_read_after_a_sign_out_does_not_bring_the_session_back() {
        cache.revoke("h");

        Row kept = cache.keepFirst("h", alice);

        assertThat(SessionCache.dead(kept)).isTrue();
        assertThat(cache.revoked("h")).isTrue();
    }

    @Test
    void a_row_read_with_nothing_cached_is_cached() {
        assertThat(cache.keepFirst("h", alice)).isSameAs(alice);
        assertThat(cache.cached("h")).containsSame(alice);
    }

    @Test
    void an_undone_sign_out_restores_the_row_cached_before() {
        cache.put("h", alice);
        Row before = cache.revoke("h");

        cache.undoRevoke("h", before);

        assertThat(cache.cached("h")).containsSame(alice);
        assertThat(cache.revoked("h")).isFalse();
    }

    @Test
    void an_undone_sign_out_of_an_uncached_token_leaves_nothing_cached() {
        cache.undoRevoke("h", cache.revoke("h"));

        assertThat(cache.cached("h")).isEmpty();
    }

    @Test
    void a_rename_of_a_signed_out_token_is_void() {
        cache.put("h", alice);
        cache.revoke("h");

        assertThat(cache.renamed("h", alice, "Bob")).isEmpty();
    }

    @Test
    void a_rename_keeps_the_cached_use_and_takes_the_new_name() {
        Row used = new Row(alice.user(), 1_000, 5_000, true);
        cache.put("h", used);

        assertThat(cache.renamed("h", alice, "Bob")).contains(new User("u1", "Bob"));
        assertThat(cache.cached("h")).contains(new Row(new User("u1", "Bob"), 1_000, 5_000, true));
    }

    @Test
    void only_the_first_of_two_renewals_of_one_row_swaps_it() {
        cache.put("h", alice);
        Row renewed = new Row(alice.user(), 1_000, 2_000, true);

        assertThat(cache.swap("h", alice, renewed)).isTrue();
        assertThat(cache.swap("h", alice, new Row(alice.user(), 1_000, 2_000, true))).isFalse();
    }

    @Test
    void a_row_marked_gone_is_dead_but_not_signed_out() {
        cache.put("h", alice);

        cache.markGone("h", alice);

        assertThat(cache.cached("h")).hasValueSatisfying(row -> assertThat(SessionCache.dead(row)).isTrue());
        assertThat(cache.revoked("h")).isFalse();
    }
}
