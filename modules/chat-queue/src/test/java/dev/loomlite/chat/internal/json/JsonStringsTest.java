package dev.loomlite.chat.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonStringsTest {
    static String literal(String s) {
        StringBuilder out = new StringBuilder();
        JsonStrings.append(out, s);
        return out.toString();
    }

    @Test
    void quotes_backslashes_and_control_characters_are_escaped() {
        assertThat(literal("a\"b\\c\n\t\r\b\f\u0001")).isEqualTo("\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\"");
    }

    @Test
    void line_and_paragraph_separators_are_escaped() {
        assertThat(literal("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
    }

    @Test
    void other_characters_stay_as_they_are() {
        assertThat(literal("é☃😀/<")).isEqualTo("\"é☃😀/<\"");
    }
}
