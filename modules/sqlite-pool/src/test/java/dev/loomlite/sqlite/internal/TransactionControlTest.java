package dev.loomlite.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionControlTest {
    @ParameterizedTest
    @ValueSource(strings = {"COMMIT", "end", "Rollback to x", "BEGIN;", "savepoint a", "RELEASE a", "\r\n COMMIT",
            "--x\n--y\nEND", "/**/BEGIN", "/* a */\t/* b */ROLLBACK", "COMMIT/* tail */"})
    void leading_transaction_keywords_are_recognised(String sql) {
        assertThat(TransactionControl.isTransactionControl(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "-- COMMIT", "/* COMMIT */", "/* unterminated COMMIT", "COMMITTED", "ENDX",
            "BEGIN_X", "SELECT 'COMMIT'", "INSERT INTO t VALUES ('end')", "UPDATE t SET v = 1 -- ROLLBACK",
            "begins", "releases", "END$"})
    void other_statements_are_not(String sql) {
        assertThat(TransactionControl.isTransactionControl(sql)).isFalse();
    }
}
