package dev.loomlite.chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writes_strings_with_escapes_and_numbers_and_literals() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("s", "a\"b\\c\n\t\r\b\f\u0001\u2028é😀");
        object.put("n", 42L);
        object.put("i", -7);
        object.put("t", true);
        object.put("z", null);

        assertThat(Json.write(object)).isEqualTo(
                "{\"s\":\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u2028é😀\",\"n\":42,\"i\":-7,\"t\":true,\"z\":null}");
    }

    @Test
    void what_it_writes_parses_back_to_the_same_values() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("content", "line 1\nline 2 \"quoted\" \\ \u0000 \u001f ☃ 😀");
        object.put("replyToId", Long.MAX_VALUE);

        assertThat(Json.parseObject(Json.write(object))).isEqualTo(object);
    }

    @Test
    void parses_unicode_escapes_including_surrogate_pairs() {
        assertThat(Json.parseObject("{\"a\":\"\\u00e9\\uD83D\\uDE00\\/\"}")).containsEntry("a", "é😀/");
    }

    @Test
    void parses_numbers_literals_and_nested_values() {
        Map<String, Object> parsed = Json.parseObject(
                " { \"i\" : -12 , \"d\": 1.5e3, \"z\": 0, \"t\": true, \"f\": false, \"n\": null, \"o\": {\"k\": [1, \"x\", []]} } ");

        assertThat(parsed).containsEntry("i", -12L).containsEntry("d", 1500.0).containsEntry("z", 0L)
                .containsEntry("t", true).containsEntry("f", false).containsEntry("n", null)
                .containsEntry("o", Map.of("k", Arrays.asList(1L, "x", List.of())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":01}", "{\"a\":\"x}", "{\"a\":tru}",
            "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":1} x", "[1]", "{\"a\":-}", "{\"a\":\"\u0001\"}"})
    void rejects_malformed_documents(String text) {
        assertThatThrownBy(() -> Json.parseObject(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
