package org.berth.web.admin;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import org.berth.provisioning.boundary.ClusterOverview;

/**
 * Backs {@code admin/hypervisor.xhtml}: what the hypervisor is (and whether it is only simulated),
 * its nodes with their memory, CPUs and free creation slots, and Berth's guests on each node.
 */
@Named
@ViewScoped
public class HypervisorAdmin implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject ClusterOverview cluster;

  private transient ClusterOverview.Overview overview;

  /** The cluster as it is now, read once per page view. */
  public ClusterOverview.Overview getOverview() {
    if (overview == null) {
      overview = cluster.overview();
    }
    return overview;
  }
}
