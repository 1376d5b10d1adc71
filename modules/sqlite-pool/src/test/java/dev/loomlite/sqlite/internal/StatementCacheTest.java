package dev.loomlite.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementCacheTest {
    @TempDir
    Path dir;

    @Test
    void the_cache_keeps_at_most_its_capacity_and_closes_evicted_statements() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("c.db"))) {
            StatementCache cache = new StatementCache(c, 2);
            PreparedStatement one = cache.prepare("SELECT 1").statement();
            PreparedStatement two = cache.prepare("SELECT 2").statement();
            assertThat(cache.prepare("SELECT 1").statement()).isSameAs(one); // now most recently used
            cache.prepare("SELECT 3").statement();

            assertThat(cache.size()).isEqualTo(2);
            assertThat(two.isClosed()).isTrue();
            assertThat(one.isClosed()).isFalse();
            assertThat(cache.evictions()).isEqualTo(1);
        }
    }

    @Test
    void close_all_closes_every_cached_statement() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("c.db"))) {
            StatementCache cache = new StatementCache(c, 8);
            PreparedStatement one = cache.prepare("SELECT 1").statement();
            PreparedStatement two = cache.prepare("SELECT 2").statement();
            cache.closeAll();

            assertThat(one.isClosed()).isTrue();
            assertThat(two.isClosed()).isTrue();
            assertThat(cache.size()).isZero();
        }
    }

    @Test
    void capacity_zero_caches_nothing() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("c.db"))) {
            StatementCache cache = new StatementCache(c, 0);
            PreparedStatement ps = cache.prepare("SELECT 1").statement();

            assertThat(cache.cached(ps)).isFalse();
            assertThat(cache.size()).isZero();
            ps.close();
        }
    }
}
