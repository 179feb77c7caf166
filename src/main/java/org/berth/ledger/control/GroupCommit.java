package org.berth.ledger.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Group commit: callers queue their work; the one that gets the lock leads and hands everything
 * queued to the batch writer, batch after batch, until the queue is empty. The others wait on their
 * own result, so work that went out in someone else's batch returns at once. The timed wait covers
 * the moment between the leader's last look at the queue and its unlock.
 *
 * @param <W> the work a caller queues
 * @param <R> its result
 */
final class GroupCommit<W, R> {

  /** Queued work and the result its batch completes. */
  record Pending<W, R>(W work, CompletableFuture<R> result) {}

  private final ReentrantLock leader = new ReentrantLock();
  private final Queue<Pending<W, R>> queue = new ConcurrentLinkedQueue<>();
  private final Consumer<List<Pending<W, R>>> writer;

  /**
   * @param writer writes one batch and completes every result in it, normally or exceptionally
   */
  GroupCommit(Consumer<List<Pending<W, R>>> writer) {
    this.writer = writer;
  }

  /** Queues {@code work} and returns its result once a batch has carried it. */
  R submit(W work) {
    Pending<W, R> pending = new Pending<>(work, new CompletableFuture<>());
    queue.add(pending);
    boolean interrupted = false;
    while (!pending.result().isDone()) {
      if (leader.tryLock()) {
        try {
          for (List<Pending<W, R>> batch = drain(); !batch.isEmpty(); batch = drain()) {
            try {
              writer.accept(batch);
            } catch (RuntimeException e) {
              batch.forEach(p -> p.result().completeExceptionally(e));
            }
          }
        } finally {
          leader.unlock();
        }
      } else {
        try {
          pending.result().get(20, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // not done yet, or done with a failure that join() below reports
        } catch (InterruptedException e) {
          interrupted = true; // the work may already be written: wait for its outcome
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    try {
      return pending.result().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** Runs {@code work} while no batch is written. */
  <T> T alone(Supplier<T> work) {
    leader.lock();
    try {
      return work.get();
    } finally {
      leader.unlock();
    }
  }

  private List<Pending<W, R>> drain() {
    List<Pending<W, R>> batch = new ArrayList<>();
    for (Pending<W, R> next; (next = queue.poll()) != null; ) {
      batch.add(next);
    }
    return batch;
  }
}
