package dev.mediawatch.aggregator.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The page's templates ({@code templates/web/}), checked at build time against the view records: an expression
 * the records do not have fails the build, not a page. Qute escapes every printed value for HTML; only the charts'
 * SVG, drawn and escaped by {@link SvgChart}, is printed raw.
 */
@CheckedTemplate(basePath = "web")
public final class Templates {

    private Templates() {
    }

    /** The whole page. */
    public static native TemplateInstance page(PageView view);

    /** The live part of the page: what {@code #status} holds, sent on every change. */
    public static native TemplateInstance page$status(PageView view);

    /** The 24-hour charts and the last incidents: what {@code #contention} holds. */
    public static native TemplateInstance page$charts(PageView view);

    /** One incident's page. */
    public static native TemplateInstance incident(IncidentView view);
}
