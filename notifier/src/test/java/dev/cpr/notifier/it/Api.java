package dev.cpr.notifier.it;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** REST calls to notifier's /api as a viewer (the token configured for tests in application.properties). */
final class Api {

    static final String VIEWER_TOKEN = "notifier-test-viewer-token";

    private Api() {
    }

    static RequestSpecification viewer() {
        return RestAssured.given().header("Authorization", "Bearer " + VIEWER_TOKEN);
    }
}
