package org.berth.platform.jobs;

import com.github.kagkarlsson.scheduler.task.Task;
import java.util.List;

/** A feature's persistent tasks, registered with {@link Jobs} at start-up (a CDI bean). */
public interface JobSource {

  /** The tasks this feature runs; their names are unique across Berth. */
  List<Task<?>> tasks();
}
