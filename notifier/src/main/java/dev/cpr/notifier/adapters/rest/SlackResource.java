package dev.cpr.notifier.adapters.rest;

import dev.cpr.notifier.app.SlackInteractions;
import dev.cpr.notifier.app.SlackReply;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The endpoints Slack calls (the app's Interactivity Request URL and the {@code /cpr} command's Request URL).
 * Authenticated by Slack's request signature, not by cpr's bearer tokens (Slack sends none: hence
 * {@code @PermitAll} over the platform's default viewer role); the raw body is needed to check the signature.
 */
@Path("/slack")
@PermitAll
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@Produces(MediaType.APPLICATION_JSON)
public class SlackResource {

    static final String TIMESTAMP = "X-Slack-Request-Timestamp";
    static final String SIGNATURE = "X-Slack-Signature";

    private final SlackInteractions interactions;

    SlackResource(SlackInteractions interactions) {
        this.interactions = interactions;
    }

    @POST
    @Path("/interactions")
    @Operation(summary = "Slack interactivity: Approve / Reject clicks (signed block_actions payloads)")
    public Uni<Response> interaction(String body, @HeaderParam(TIMESTAMP) String timestamp,
            @HeaderParam(SIGNATURE) String signature) {
        return interactions.interaction(body, timestamp, signature).map(SlackResource::response);
    }

    @POST
    @Path("/commands")
    @Operation(summary = "Slack slash command /cpr status|backup|recover (signed)")
    public Uni<Response> command(String body, @HeaderParam(TIMESTAMP) String timestamp,
            @HeaderParam(SIGNATURE) String signature) {
        return interactions.command(body, timestamp, signature).map(SlackResource::response);
    }

    private static Response response(SlackReply reply) {
        return Response.status(reply.status()).type(MediaType.APPLICATION_JSON).entity(reply.body().toString()).build();
    }
}
