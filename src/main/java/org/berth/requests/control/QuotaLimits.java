package org.berth.requests.control;

/** How much one person may hold at once, counted over their live requests. */
public record QuotaLimits(int guests, int cores, int memoryMib, int diskGib) {

  public QuotaLimits {
    if (guests < 0 || cores < 0 || memoryMib < 0 || diskGib < 0) {
      throw new IllegalArgumentException("quota limits must be 0 or more");
    }
  }

  /** What one more guest of this size would break, or null when it fits. */
  public String exceededBy(QuotaLimits used, int cores, int memoryMib, int diskGib) {
    if (used.guests() + 1 > guests) {
      return "guests: " + used.guests() + " of " + guests + " in use";
    }
    if (used.cores() + cores > this.cores) {
      return "cores: " + used.cores() + " of " + this.cores + " in use, " + cores + " more asked";
    }
    if (used.memoryMib() + memoryMib > this.memoryMib) {
      return "memory: "
          + used.memoryMib()
          + " of "
          + this.memoryMib
          + " MiB in use, "
          + memoryMib
          + " MiB more asked";
    }
    if (used.diskGib() + diskGib > this.diskGib) {
      return "disk: "
          + used.diskGib()
          + " of "
          + this.diskGib
          + " GiB in use, "
          + diskGib
          + " GiB more asked";
    }
    return null;
  }

  /** Whether what is in use stays within these limits. */
  public boolean covers(QuotaLimits used) {
    return used.guests() <= guests
        && used.cores() <= cores
        && used.memoryMib() <= memoryMib
        && used.diskGib() <= diskGib;
  }
}
