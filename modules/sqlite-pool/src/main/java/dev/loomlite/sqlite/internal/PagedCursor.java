package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.Cursor;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Row-by-row iteration and streams over {@link #nextPage()}; used by the consumer thread only. */
abstract class PagedCursor<T> implements Cursor<T> {

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private List<T> page = List.of();
            private int index;
            private boolean end;

            @Override
            public boolean hasNext() {
                if (index < page.size()) {
                    return true;
                }
                if (end) {
                    return false;
                }
                page = nextPage();
                index = 0;
                end = page.isEmpty();
                return !end;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("cursor exhausted");
                }
                return page.get(index++);
            }
        };
    }

    @Override
    public Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false)
                .onClose(this::close);
    }
}
