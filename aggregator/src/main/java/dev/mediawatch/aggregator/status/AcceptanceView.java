package dev.mediawatch.aggregator.status;

import java.util.List;

import dev.mediawatch.contract.ArrImports;
import dev.mediawatch.contract.Check;

/**
 * What the acceptance checks add to the status: the success criteria that need memory (services working, tunnel,
 * smooth streaming during downloads, the soak), after the live ones, and today's imports. Immutable; replaced after
 * each detector window.
 */
public record AcceptanceView(List<Check> criteria, List<ArrImports> imports) {

    public static final AcceptanceView NONE = new AcceptanceView(List.of(), List.of());

    public AcceptanceView {
        criteria = criteria == null ? List.of() : List.copyOf(criteria);
        imports = imports == null ? List.of() : List.copyOf(imports);
    }
}
