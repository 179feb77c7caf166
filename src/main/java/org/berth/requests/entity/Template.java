package org.berth.requests.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * What developers can ask for: a hypervisor template (a Proxmox template VMID, or an LXC {@code
 * ostemplate} volume) with default and maximum sizes and the OS user for SSH. Admins keep them; a
 * template in use is deactivated, never deleted.
 */
@Entity
@Table(name = "template")
public class Template {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false)
  private String name;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private GuestKind kind;

  @Column(name = "hypervisor_ref", nullable = false)
  private String hypervisorRef;

  @Column(name = "os_user", nullable = false)
  private String osUser;

  @Column(nullable = false)
  private String description;

  @Column(name = "default_cores")
  private int defaultCores;

  @Column(name = "max_cores")
  private int maxCores;

  @Column(name = "default_memory_mib")
  private int defaultMemoryMib;

  @Column(name = "max_memory_mib")
  private int maxMemoryMib;

  @Column(name = "default_disk_gib")
  private int defaultDiskGib;

  @Column(name = "max_disk_gib")
  private int maxDiskGib;

  @Column(name = "full_clone")
  private boolean fullClone;

  @Column(name = "max_snapshots")
  private int maxSnapshots;

  private boolean active;

  @Version private long version;

  protected Template() {}

  public Template(TemplateSpec spec) {
    this.name = spec.name();
    this.active = true;
    update(spec);
  }

  /** Replaces everything but the name, which requests refer to. */
  public void update(TemplateSpec spec) {
    this.kind = spec.kind();
    this.hypervisorRef = spec.hypervisorRef();
    this.osUser = spec.osUser();
    this.description = spec.description();
    this.defaultCores = spec.defaultCores();
    this.maxCores = spec.maxCores();
    this.defaultMemoryMib = spec.defaultMemoryMib();
    this.maxMemoryMib = spec.maxMemoryMib();
    this.defaultDiskGib = spec.defaultDiskGib();
    this.maxDiskGib = spec.maxDiskGib();
    this.fullClone = spec.fullClone();
    this.maxSnapshots = spec.maxSnapshots();
  }

  public void activate(boolean active) {
    this.active = active;
  }

  public TemplateSpec spec() {
    return new TemplateSpec(
        name,
        kind,
        hypervisorRef,
        osUser,
        description,
        defaultCores,
        maxCores,
        defaultMemoryMib,
        maxMemoryMib,
        defaultDiskGib,
        maxDiskGib,
        fullClone,
        maxSnapshots);
  }

  public Long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public GuestKind kind() {
    return kind;
  }

  public boolean active() {
    return active;
  }

  public int maxCores() {
    return maxCores;
  }

  public int maxMemoryMib() {
    return maxMemoryMib;
  }

  public int maxDiskGib() {
    return maxDiskGib;
  }

  public long version() {
    return version;
  }
}
