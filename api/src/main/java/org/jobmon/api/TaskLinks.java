package org.jobmon.api;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A task's upstreams or downstreams: a set in the order the links were made, kept as an array.
 * A workflow of a million tasks holds two of these per task, most with zero to two members, where
 * a LinkedHashSet costs about 200 bytes each; a set grown past {@link #INDEXED} also keeps a hash
 * index, so that a task with a hundred thousand upstreams is still linked in linear time.
 */
final class TaskLinks {
    static final int INDEXED = 16;
    private static final Task[] NONE = new Task[0];

    private Task[] members = NONE;
    private int size;
    private Set<Task> index;

    /** Adds {@code t}; false when it was already a member. */
    boolean add(Task t) {
        if (contains(t)) {
            return false;
        }
        if (size == members.length) {
            members = Arrays.copyOf(members, size == 0 ? 1 : size < 8 ? size * 2 : size + (size >> 1));
        }
        members[size++] = t;
        if (index != null) {
            index.add(t);
        } else if (size > INDEXED) {
            index = new HashSet<>(Arrays.asList(members).subList(0, size));
        }
        return true;
    }

    boolean contains(Object o) {
        if (index != null) {
            return index.contains(o);
        }
        for (int i = 0; i < size; i++) {
            if (members[i] == o) {
                return true;
            }
        }
        return false;
    }

    /** An unmodifiable view, in insertion order. */
    Set<Task> view() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Task> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Task next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        return members[next++];
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public boolean contains(Object o) {
                return TaskLinks.this.contains(o);
            }
        };
    }
}
