package dev.loomlite.chat;

import java.util.List;

/**
 * A page of history, ascending by {@code seq}.
 *
 * <pre>{@code
 * HistoryPage page = chat.history("general", HistoryQuery.after(0, 100));
 * if (page.hasMore()) { next = HistoryQuery.after(page.messages().getLast().seq(), 100); }
 * }</pre>
 *
 * @param messages the messages
 * @param hasMore  whether more exist beyond this page in the query's direction
 */
public record HistoryPage(List<ChatMessage> messages, boolean hasMore) {
    public HistoryPage {
        messages = List.copyOf(messages);
    }
}
