package dev.cpr.sandbox.bosh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.TlsSpec;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator.Auth;
import dev.cpr.sandbox.simhttp.SimHttp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The director API's routes (see {@link BoshDirectorSimulator} for the list): each authenticated, authorized for
 * the deployment, then answered from the simulated deployment or by a task.
 */
final class DirectorApiRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEPLOYMENT_ROUTE = Pattern.compile("/deployments/([^/]+)(/.*)?");
    private static final Pattern JOB_ROUTE = Pattern.compile("/jobs/([^/]+)/([^/]+)");
    private static final Pattern ACTION_ROUTE = Pattern.compile("/instance_groups/([^/]+)/([^/]+)/actions/([^/]+)");
    private static final Pattern TASK_ROUTE = Pattern.compile("/tasks/([^/]+)(/output)?");
    private static final Pattern VM_ROUTE = Pattern.compile("/vms/([^/]+)");

    private final BoshDirectorSimulator director;
    private final SimulatedDeployment deployment;
    private final DirectorAuth auth;
    private final DirectorTasks tasks;
    private final Path workDir;
    private final String directorUuid;
    private final AtomicInteger failingCalls = new AtomicInteger();

    DirectorApiRoutes(BoshDirectorSimulator director, SimulatedDeployment deployment, DirectorAuth auth,
            DirectorTasks tasks, Path workDir, String directorUuid) {
        this.director = director;
        this.deployment = deployment;
        this.auth = auth;
        this.tasks = tasks;
        this.workDir = workDir;
        this.directorUuid = directorUuid;
    }

    /** The next {@code calls} authenticated calls answer 500. */
    void failNext(int calls) {
        failingCalls.set(calls);
    }

    void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = SimHttp.query(exchange);
        if (method.equals("GET") && path.equals("/info")) {
            sendJson(exchange, 200, info());
            return;
        }
        if (method.equals("POST") && path.equals("/uaa/oauth/token")) {
            if (!auth.token(exchange)) {
                notFound(exchange, path);
            }
            return;
        }
        String client = auth.authenticate(exchange);
        if (client == null) {
            SimHttp.sendText(exchange, 401, SimHttp.TEXT, "Not authorized: '" + path + "'\n");
            return;
        }
        if (failingCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            sendError(exchange, 500, 100, "simulated director failure");
            return;
        }
        Matcher m;
        if (method.equals("GET") && path.equals("/deployments")) {
            sendJson(exchange, 200, deployments(client));
        } else if ((m = DEPLOYMENT_ROUTE.matcher(path)).matches()) {
            String name = SimHttp.decode(m.group(1));
            auth.authorize(client, name);
            if (!director.isDeploymentPresent() || !deployment.name().equals(name)) {
                throw DirectorError.deploymentNotFound(name);
            }
            deploymentRoute(exchange, method, m.group(2) == null ? "" : m.group(2), query, client);
        } else if (method.equals("DELETE") && (m = VM_ROUTE.matcher(path)).matches()) {
            String cid = SimHttp.decode(m.group(1));
            redirectToTask(exchange, tasks.submit("delete vm " + cid, null, client, task -> {
                deployment.deleteVm(cid, task);
                return "";
            }));
        } else if (method.equals("GET") && (m = TASK_ROUTE.matcher(path)).matches()) {
            SimulatedTask task = tasks.find(m.group(1));
            if (m.group(2) == null) {
                sendJson(exchange, 200, task.toJson());
            } else {
                tasks.sendOutput(exchange, task, query.getOrDefault("type", "event"));
            }
        } else if (method.equals("GET") && path.startsWith("/_sim/deployments/") && path.endsWith("/ssh")) {
            String name = SimHttp.decode(path.substring("/_sim/deployments/".length(),
                    path.length() - "/ssh".length()));
            auth.authorize(client, name);
            if (!director.isDeploymentPresent() || !deployment.name().equals(name)) {
                throw DirectorError.deploymentNotFound(name);
            }
            sendJson(exchange, 200, sshAccess());
        } else {
            notFound(exchange, path);
        }
    }

    private void deploymentRoute(HttpExchange exchange, String method, String rest, Map<String, String> query,
            String client) throws IOException {
        String d = deployment.name();
        boolean full = "full".equals(query.get("format"));
        Matcher m;
        if (method.equals("GET") && (rest.equals("/instances") || rest.equals("/vms"))) {
            boolean vms = rest.equals("/vms");
            if (!full) {
                sendJson(exchange, 200, deployment.shortListing(vms));
                return;
            }
            redirectToTask(exchange, tasks.submit("retrieve vm-stats", d, client, task -> {
                for (ObjectNode line : deployment.fullListing(vms)) {
                    task.appendResult(line.toString());
                }
                return "";
            }));
        } else if (method.equals("GET") && rest.isEmpty()) {
            sendJson(exchange, 200, JSON.createObjectNode().put("manifest", "name: " + d + "\n"));
        } else if (method.equals("PUT") && (m = JOB_ROUTE.matcher(rest)).matches()) {
            InstanceRecord r = deployment.find(SimHttp.decode(m.group(1)), SimHttp.decode(m.group(2)));
            String state = query.getOrDefault("state", "");
            Function<SimulatedTask, String> work = switch (state) {
                case "recreate" -> task -> {
                    if (deployment.isUnresponsive(r) && !"true".equals(query.get("fix"))) {
                        throw new IllegalStateException("Timed out pinging VM '" + r.vmCid() + "' with agent '"
                                + r.agentId() + "' after 600 seconds (use --fix to recreate it)");
                    }
                    deployment.recreate(r, true, task);
                    return "";
                };
                case "restart" -> task -> { deployment.restart(r, task); return ""; };
                case "stopped" -> task -> { deployment.stop(r, task); return ""; };
                case "started" -> task -> { deployment.start(r, task); return ""; };
                case "detached" -> task -> { deployment.detach(r, task); return ""; };
                default -> throw new DirectorError(400, 40000, "Invalid state '" + state
                        + "': expected recreate, restart, stopped, started or detached");
            };
            redirectToTask(exchange, tasks.submit(changeDescription(state, r), d, client, work));
        } else if (method.equals("POST") && (m = ACTION_ROUTE.matcher(rest)).matches()) {
            InstanceRecord r = deployment.find(SimHttp.decode(m.group(1)), SimHttp.decode(m.group(2)));
            String action = SimHttp.decode(m.group(3));
            boolean ignoreUnresponsive = "true".equals(query.get("ignore_unresponsive_agent"));
            Function<SimulatedTask, String> work = switch (action) {
                case "recreate" -> task -> {
                    if (deployment.isUnresponsive(r) && !ignoreUnresponsive) {
                        throw new IllegalStateException("Timed out pinging VM '" + r.vmCid() + "' with agent '"
                                + r.agentId() + "' after 600 seconds");
                    }
                    deployment.recreate(r, true, task);
                    return "";
                };
                case "restart" -> task -> { deployment.restart(r, task); return ""; };
                case "start" -> task -> { deployment.start(r, task); return ""; };
                case "stop" -> task -> { deployment.stop(r, task); return ""; };
                default -> null;
            };
            if (work == null) {
                notFound(exchange, exchange.getRequestURI().getPath());
                return;
            }
            redirectToTask(exchange, tasks.submit(action + " instance " + r.group() + "/" + r.id(), d, client, work));
        } else if (method.equals("POST") && rest.equals("/scans")) {
            redirectToTask(exchange, tasks.submit("scan cloud", d, client, deployment::scan));
        } else if (method.equals("GET") && rest.equals("/problems")) {
            sendJson(exchange, 200, deployment.problemsJson());
        } else if (method.equals("PUT") && rest.equals("/problems")) {
            Map<Integer, String> resolutions = resolutions(exchange);
            redirectToTask(exchange, tasks.submit("apply resolutions", d, client,
                    task -> deployment.resolve(resolutions, task)));
        } else {
            notFound(exchange, exchange.getRequestURI().getPath());
        }
    }

    private static String changeDescription(String state, InstanceRecord r) {
        String verb = switch (state) {
            case "stopped" -> "stop";
            case "started" -> "start";
            case "detached" -> "stop";
            default -> state;
        };
        return verb + " instance " + r.group() + "/" + r.id();
    }

    private Map<Integer, String> resolutions(HttpExchange exchange) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(SimHttp.body(exchange));
        } catch (IOException e) {
            throw new DirectorError(400, 40001, "Malformed JSON body: " + e.getMessage());
        }
        JsonNode resolutions = body == null ? null : body.get("resolutions");
        if (resolutions == null || !resolutions.isObject()) {
            throw new DirectorError(400, 40001, "Body must be {\"resolutions\":{\"<problem id>\":\"<resolution>\"}}");
        }
        Map<Integer, String> out = new LinkedHashMap<>();
        var fields = resolutions.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            try {
                out.put(Integer.parseInt(field.getKey()), field.getValue().asText());
            } catch (NumberFormatException e) {
                throw new DirectorError(400, 40001, "Problem id '" + field.getKey() + "' is not a number");
            }
        }
        return out;
    }

    private ObjectNode info() {
        ObjectNode out = JSON.createObjectNode();
        out.put("name", "p-bosh");
        out.put("uuid", directorUuid);
        out.put("version", "270.11.0 (00000000) [cpr sandbox simulator]");
        out.putNull("user");
        out.put("cpi", "vsphere_cpi");
        ObjectNode auth = out.putObject("user_authentication");
        if (director.options().auth() == Auth.UAA) {
            auth.put("type", "uaa");
            auth.putObject("options").put("url", director.uaaUrl());
        } else {
            auth.put("type", "basic");
            auth.putObject("options");
        }
        ObjectNode features = out.putObject("features");
        features.putObject("local_dns").put("status", true).putObject("extras").put("domain_name", "bosh");
        features.putObject("power_dns").put("status", false);
        features.putObject("snapshots").put("status", false);
        features.putObject("config_server").put("status", true).putObject("extras").putArray("urls");
        return out;
    }

    private ArrayNode deployments(String client) {
        ArrayNode out = JSON.createArrayNode();
        if (!director.isDeploymentPresent() || !auth.mayListDeployment(client)) {
            return out;
        }
        ObjectNode d = out.addObject();
        d.put("name", deployment.name());
        d.put("cloud_config", "latest");
        d.putArray("releases").addObject().put("name", "kubo").put("version", "0.34.0");
        d.putArray("stemcells").addObject().put("name", "bosh-vsphere-esxi-ubuntu-xenial-go_agent")
                .put("version", "621.76");
        d.putArray("teams");
        d.put("locked", false);
        return out;
    }

    private ObjectNode sshAccess() {
        ObjectNode out = JSON.createObjectNode();
        out.put("deployment", deployment.name());
        out.put("initial_cluster", director.cluster().spec().initialClusterFlag());
        out.put("cluster_token", director.cluster().spec().token());
        ArrayNode list = out.putArray("instances");
        for (InstanceRecord r : deployment.records()) {
            ObjectNode o = list.addObject();
            o.put("job_name", r.group());
            o.put("id", r.id());
            o.put("index", r.index());
            o.put("bootstrap", r.bootstrap());
            o.put("vm_cid", r.vmCid());
            o.put("agent_responsive", !deployment.isUnresponsive(r));
            o.put("host", "127.0.0.1");
            o.put("store_dir", workDir.resolve("vms").resolve(r.group() + "-" + r.index()).resolve("store").toString());
            ArrayNode jobs = o.putArray("bbr_jobs");
            if (r.member() == null) {
                o.putNull("etcd");
                continue;
            }
            jobs.add("bbr-etcd");
            MemberSpec member = director.cluster().member(r.member());
            ObjectNode etcd = o.putObject("etcd");
            etcd.put("name", member.name());
            etcd.put("client_url", member.clientUrl());
            etcd.put("peer_url", member.peerUrl());
            etcd.put("data_dir", member.dataDir());
            etcd.put("pid_file", member.localPidFile());
            etcd.put("log_file", member.localLogFile());
            etcd.put("etcd_binary", member.etcdBinary());
            // the bbr-etcd job's own certificate files on the VM, which its etcdctl presents to a TLS member
            TlsSpec tls = director.cluster().spec().tls();
            if (tls != null) {
                etcd.putObject("tls").put("ca_file", tls.caFile()).put("cert_file", tls.certFile())
                        .put("key_file", tls.keyFile());
            }
        }
        return out;
    }

    private void redirectToTask(HttpExchange exchange, SimulatedTask task) throws IOException {
        exchange.getResponseHeaders().set("Location", director.url() + "/tasks/" + task.id());
        exchange.sendResponseHeaders(302, -1);
    }

    static void notFound(HttpExchange exchange, String path) throws IOException {
        SimHttp.sendText(exchange, 404, SimHttp.TEXT, "Endpoint '" + path + "' not found.");
    }

    static void sendError(HttpExchange exchange, int status, int code, String description) throws IOException {
        sendJson(exchange, status, JSON.createObjectNode().put("code", code).put("description", description));
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        SimHttp.sendJson(exchange, status, SimHttp.JSON, body);
    }
}
