package org.berth.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * The one meter registry of this instance, in Prometheus's format, with the JVM's own figures
 * (memory, garbage collection, threads, classes, CPU, uptime) bound to it. Features inject {@link
 * MeterRegistry} and register their meters when they start, so that every series exists, at zero,
 * from the first scrape.
 */
@ApplicationScoped
public class Metrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private JvmGcMetrics gc;

  @PostConstruct
  void bind() {
    // Two of the JVM's figures are named against Prometheus's conventions, which promtool checks:
    // the CPU time in "_ns" (process_cpu_usage says the same) and a gauge ending in "_count".
    registry
        .config()
        .meterFilter(
            MeterFilter.deny(
                id ->
                    id.getName().equals("process.cpu.time")
                        || id.getName().equals("system.cpu.count")));
    new JvmMemoryMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  @Produces
  MeterRegistry registry() {
    return registry;
  }

  /** Every meter in Prometheus's text format, version 0.0.4. */
  public String scrape() {
    return registry.scrape();
  }

  @PreDestroy
  void close() {
    gc.close();
    registry.close();
  }
}
