package io.pgmigrate.testing.fakes;

import io.pgmigrate.execute.StepFailure;
import io.pgmigrate.execute.StepRunner;
import io.pgmigrate.plan.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A step runner for unit tests: every step succeeds unless told to fail (or to do something first); records order. */
public final class FakeRunner implements StepRunner {
    private final List<String> ran = new ArrayList<>();
    private final Map<String, String> failures = new HashMap<>();
    private final Map<String, Consumer<Step>> effects = new HashMap<>();

    /** The step fails with this reason, every time, until {@link #heal}. */
    public FakeRunner failing(String step, String why) {
        failures.put(step, why);
        return this;
    }

    public FakeRunner heal(String step) {
        failures.remove(step);
        return this;
    }

    /** Something the step does to the fake host before it ends (succeeds or fails). */
    public FakeRunner effect(String step, Consumer<Step> effect) {
        effects.put(step, effect);
        return this;
    }

    /** The ids of the steps run (ad-hoc undo steps by their own ids), in order. */
    public List<String> ran() {
        return List.copyOf(ran);
    }

    @Override
    public Outcome run(Step step) {
        ran.add(step.id());
        Consumer<Step> effect = effects.get(step.id());
        if (effect != null) {
            effect.accept(step);
        }
        String why = failures.get(step.id());
        if (why != null) {
            throw new StepFailure(step.id() + ": " + why);
        }
        return Outcome.note("ok");
    }
}
