package org.berth.hypervisor.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Every API call the cluster received, the newest {@value #LIMIT} of them, oldest first. */
final class Journal {

  static final int LIMIT = 10_000;

  private final Deque<JournalEntry> entries = new ArrayDeque<>();

  synchronized void record(JournalEntry entry) {
    entries.addLast(entry);
    if (entries.size() > LIMIT) {
      entries.removeFirst();
    }
  }

  synchronized List<JournalEntry> entries() {
    return List.copyOf(entries);
  }

  synchronized void clear() {
    entries.clear();
  }
}
