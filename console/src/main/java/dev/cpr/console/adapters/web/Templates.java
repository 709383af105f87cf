package dev.cpr.console.adapters.web;

import dev.cpr.console.app.Console;
import dev.cpr.console.domain.Backup;
import dev.cpr.console.domain.History;
import dev.cpr.console.domain.Overview;
import dev.cpr.console.domain.Plan;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/**
 * The dashboard's Qute templates ({@code templates/console/}). Each page is the layout around one live part; the
 * live part is rendered alone again for every server-sent event, so the page and its updates can never differ.
 */
@CheckedTemplate(basePath = "console")
final class Templates {

    private Templates() {
    }

    static native TemplateInstance page(String title, Viewer viewer, String stream, String live);

    static native TemplateInstance login(String error, boolean sso);

    static native TemplateInstance loggedIn();

    static native TemplateInstance overview(Overview overview, Viewer viewer);

    static native TemplateInstance plans(List<Plan> plans, List<String> notes);

    static native TemplateInstance plan(Plan plan, String loss, Viewer viewer, String notice);

    static native TemplateInstance incident(Console.IncidentDetail detail);

    static native TemplateInstance history(History history);

    static native TemplateInstance backups(List<Backup> backups, String cluster, Viewer viewer, List<String> notes);
}
