package org.berth.access.boundary;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.berth.platform.jobs.JobSource;
import org.berth.platform.jobs.Jobs;
import org.berth.requests.boundary.RequestChanged;
import org.berth.requests.entity.RequestState;

/**
 * The persistent jobs of the reverse proxy: {@code proxy-route} ({@code <request id>:<state>}) puts
 * or removes a guest's route after its request became READY or started to go; it is scheduled in
 * the transaction that moved the request and acts after it commits. {@code proxy-sync} runs every
 * {@code berth.proxy.sync-minutes} and puts the whole proxy right.
 */
@ApplicationScoped
public class RouteJobs implements JobSource {

  static final String ROUTE = "proxy-route";
  static final String SYNC = "proxy-sync";

  /** The states in which a route appears (READY) or must go. */
  private static final Set<RequestState> AFFECTING =
      EnumSet.of(
          RequestState.READY,
          RequestState.EXPIRED,
          RequestState.FAILED,
          RequestState.DELETING,
          RequestState.DELETED);

  @Inject Jobs jobs;
  @Inject Routes routes;
  @Inject RouteStore store;
  @Inject ReverseProxy proxy;
  @Inject AccessSettings settings;

  private CustomTask<String> route;
  private RecurringTask<Void> sync;

  @PostConstruct
  void define() {
    route =
        Tasks.custom(ROUTE, String.class)
            .onFailureReschedule(FixedDelay.of(Duration.ofMinutes(1)))
            .execute(
                (instance, context) -> {
                  String instanceId = instance.getId();
                  long id = Long.parseLong(instanceId.substring(0, instanceId.indexOf(':')));
                  int failures = Integer.parseInt(instance.getData());
                  Optional<Routes.Again> again = routes.apply(id, failures);
                  if (again.isEmpty()) {
                    return new CompletionHandler.OnCompleteRemove<>();
                  }
                  String next = String.valueOf(again.get().afterFailure() ? failures + 1 : 0);
                  return (CompletionHandler<String>)
                      (done, ops) -> ops.reschedule(done, again.get().at(), next);
                });
    sync =
        Tasks.recurring(SYNC, FixedDelay.of(settings.proxySyncEvery()))
            .execute((instance, context) -> routes.sync());
  }

  @Override
  public List<Task<?>> tasks() {
    return List.of(route, sync);
  }

  /** Schedules the route of a NAT guest with a web port when its request moves. */
  void onChange(@Observes RequestChanged change) {
    if (proxy.writer().isPresent()
        && AFFECTING.contains(change.state())
        && store.mayHaveRoute(change.id())) {
      // One instance per move: a job still running for an earlier move cannot swallow this one.
      // Jobs of one request may overlap; each looks at the request again after its change, so
      // the last one to finish leaves the proxy as the request now wants it.
      jobs.schedule(route.instance(change.id() + ":" + change.state(), "0"), Instant.now());
    }
  }
}
