package org.berth.ledger.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Which entries each claimer works on: disjoint lists, spread over the whole ledger. */
final class EntryPlan {

  private EntryPlan() {}

  /** Entries 0 to size-1 in a fixed pseudo-random order, dealt round-robin to the claimers. */
  static List<List<Integer>> spread(int size, int claimers, long seed) {
    List<Integer> all = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      all.add(i);
    }
    Collections.shuffle(all, new Random(seed));
    List<List<Integer>> plans = new ArrayList<>();
    for (int c = 0; c < claimers; c++) {
      plans.add(new ArrayList<>());
    }
    for (int i = 0; i < size; i++) {
      plans.get(i % claimers).add(all.get(i));
    }
    return plans;
  }
}
