package org.berth.testing;

import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.berth.platform.jobs.Jobs;

/**
 * The job scheduler of {@link Components}: no scheduler runs; what the stores schedule is kept, so
 * that a test can see it and run the job itself.
 */
public final class ComponentJobs extends Jobs {

  /** A job a store scheduled, and when it was to run. */
  public record Scheduled(String task, String id, Instant when) {}

  private final String instance;
  private final List<Scheduled> scheduled = Collections.synchronizedList(new ArrayList<>());

  public ComponentJobs(String instance) {
    this.instance = instance;
  }

  @Override
  public String instance() {
    return instance;
  }

  @Override
  public boolean running() {
    return false;
  }

  @Override
  public boolean executing(TaskInstanceId id) {
    return false;
  }

  @Override
  public <T> void schedule(TaskInstance<T> job, Instant when) {
    scheduled.add(new Scheduled(job.getTaskName(), job.getId(), when));
  }

  @Override
  public void cancel(TaskInstanceId id) {
    scheduled.removeIf(s -> s.task().equals(id.getTaskName()) && s.id().equals(id.getId()));
  }

  @Override
  public Optional<Instant> next(TaskInstanceId id) {
    return scheduled.stream()
        .filter(s -> s.task().equals(id.getTaskName()) && s.id().equals(id.getId()))
        .map(Scheduled::when)
        .findFirst();
  }

  /** What has been scheduled so far, oldest first. */
  public List<Scheduled> scheduled() {
    return List.copyOf(scheduled);
  }
}
