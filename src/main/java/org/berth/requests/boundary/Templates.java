package org.berth.requests.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import org.berth.platform.refusal.InvalidInput;
import org.berth.requests.entity.Template;
import org.berth.requests.entity.TemplateSpec;

/** The templates developers choose from; admins add, change and deactivate them. */
@ApplicationScoped
@Transactional
public class Templates {

  @PersistenceContext EntityManager em;
  @Inject TemplateReferences references;

  /** Every template, active ones first, by name. */
  public List<TemplateView> all() {
    return em.createQuery("SELECT t FROM Template t ORDER BY t.active DESC, t.name", Template.class)
        .getResultStream()
        .map(TemplateView::of)
        .toList();
  }

  /** The templates a new request may use. */
  public List<TemplateView> active() {
    return em.createQuery("SELECT t FROM Template t WHERE t.active ORDER BY t.name", Template.class)
        .getResultStream()
        .map(TemplateView::of)
        .toList();
  }

  /** An active template by name. */
  public Optional<TemplateSpec> activeSpec(String name) {
    return em.createQuery("SELECT t FROM Template t WHERE t.name = :n AND t.active", Template.class)
        .setParameter("n", name)
        .getResultStream()
        .findFirst()
        .map(Template::spec);
  }

  public Optional<TemplateView> find(long id) {
    return Optional.ofNullable(em.find(Template.class, id)).map(TemplateView::of);
  }

  /** Adds a template; the name must be new. */
  public TemplateView add(TemplateSpec spec) {
    checkReference(spec);
    if (named(spec.name()).isPresent()) {
      throw new InvalidInput("name", "there is already a template '" + spec.name() + "'");
    }
    Template t = new Template(spec);
    em.persist(t);
    em.flush();
    return TemplateView.of(t);
  }

  /** Changes everything but the name; requests already made keep the sizes they were given. */
  public TemplateView update(long id, TemplateSpec spec) {
    Template t = existing(id);
    if (!t.name().equals(spec.name())) {
      throw new InvalidInput("name", "cannot change; add a new template instead");
    }
    checkReference(spec);
    t.update(spec);
    return TemplateView.of(t);
  }

  private void checkReference(TemplateSpec spec) {
    references
        .problem(spec.kind(), spec.hypervisorRef())
        .ifPresent(
            problem -> {
              throw new InvalidInput("hypervisorRef", problem);
            });
  }

  /** Takes a template out of (or back into) the choice for new requests. */
  public TemplateView activate(long id, boolean active) {
    Template t = existing(id);
    t.activate(active);
    return TemplateView.of(t);
  }

  private Optional<Template> named(String name) {
    return em.createQuery("SELECT t FROM Template t WHERE t.name = :n", Template.class)
        .setParameter("n", name)
        .getResultStream()
        .findFirst();
  }

  private Template existing(long id) {
    Template t = em.find(Template.class, id);
    if (t == null) {
      throw new InvalidInput("template", "there is no template " + id);
    }
    return t;
  }

  /** Adds the demo's templates when there are none yet. */
  public void seedIfEmpty(List<TemplateSpec> specs) {
    long count = em.createQuery("SELECT count(t) FROM Template t", Long.class).getSingleResult();
    if (count == 0) {
      specs.forEach(s -> em.persist(new Template(s)));
    }
  }
}
