package dev.mediawatch.aggregator.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;

/**
 * The web page: {@code GET /} the status as HTML (live through {@link LiveStatus}), {@code GET /incidents/<id>} one
 * incident's timeline. Rendered on worker threads: a page of a hundred hosts takes milliseconds, too long for an
 * event loop. Read-only; the page's only action is {@code POST /api/refresh}.
 */
@Path("/")
public class PageResource {

    private final Pages pages;

    public PageResource(Pages pages) {
        this.pages = pages;
    }

    @GET
    @Produces(MediaType.TEXT_HTML + ";charset=utf-8")
    @Blocking
    public String page() {
        return Templates.page(pages.view(true)).render();
    }

    @GET
    @Path("incidents/{id}")
    @Produces(MediaType.TEXT_HTML + ";charset=utf-8")
    @Blocking
    public Response incident(@PathParam("id") String id) {
        IncidentView view = pages.incident(id);
        if (view == null) {
            return Response.status(404).type(MediaType.TEXT_PLAIN)
                    .entity("no incident " + dev.mediawatch.contract.Text.printable(id, 80) + "\n").build();
        }
        return Response.ok(Templates.incident(view).render()).build();
    }
}
