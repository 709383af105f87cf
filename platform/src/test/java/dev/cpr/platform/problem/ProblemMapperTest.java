package dev.cpr.platform.problem;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProblemMapperTest {

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureTheMappersLog() {
        Logger.getLogger(ProblemMapper.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger(ProblemMapper.class.getName()).removeHandler(capture);
    }

    @Test
    void aRefusalKeepsItsStatusAndNamesWhatIsWrong() {
        given().auth().oauth2("viewer-token-123").when().get("/api/v1/probe/refused")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad request parameter 'cluster'"))
                .body("detail", equalTo("no cluster named 'nope' in the inventory"))
                .body("status", equalTo(400));
    }

    @Test
    void anUnknownPathIsA404Problem() {
        given().auth().oauth2("viewer-token-123").when().get("/api/v1/nothing-here")
                .then().statusCode(404);
    }

    @Test
    void aBugIsA500ProblemNotAStackTrace() {
        given().auth().oauth2("viewer-token-123").when().get("/api/v1/probe/broken")
                .then().statusCode(500).contentType("application/problem+json")
                .body("title", equalTo("Internal Server Error"));
    }

    @Test
    void a500CarriesAnErrorIdThatIsInTheLogAndNeverTheExceptionsText() {
        Response response = given().auth().oauth2("viewer-token-123").when().get("/api/v1/probe/database-broken");

        response.then().statusCode(500).contentType("application/problem+json")
                .body(not(containsString("0x00")))
                .body(not(containsString("SQL")))
                .body(not(containsString("IllegalStateException")));
        String errorId = response.path("errorId");
        assertThat(errorId).matches("[0-9a-f-]{36}");
        assertThat((String) response.path("detail")).contains(errorId);
        assertThat(logged).anySatisfy(record -> {
            assertThat(formatted(record)).contains("error id " + errorId).contains("0x00");
            assertThat(record.getThrown()).isInstanceOf(IllegalStateException.class);
        });
    }

    @Test
    void aNulByteInAQueryParameterIsA400NamingTheParameter() {
        given().auth().oauth2("viewer-token-123").urlEncodingEnabled(false)
                .when().get("/api/v1/probe/clusters/sandbox?state=OPEN%00")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad request parameter 'state'"))
                .body("detail", equalTo("query parameter 'state' contains the control character U+0000, "
                        + "which no valid value holds"));
    }

    @Test
    void aNulByteInAPathParameterIsA400NamingTheParameter() {
        given().auth().oauth2("viewer-token-123").urlEncodingEnabled(false)
                .when().get("/api/v1/probe/clusters/sand%00box")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad request parameter 'cluster'"));
    }

    @Test
    void aClusterIdThatCannotBeOneIsA400NamingTheParameter() {
        given().auth().oauth2("viewer-token-123")
                .when().get("/api/v1/probe/clusters/Not_A_Cluster")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad request parameter 'cluster'"))
                .body("detail", containsString("must be a cluster id"));
        given().auth().oauth2("viewer-token-123")
                .when().get("/api/v1/probe/clusters/prod-etcd-1?state=OPEN")
                .then().statusCode(200).body(equalTo("cluster prod-etcd-1 state OPEN"));
    }

    /** The mapper logs with printf-style formats (JBoss Logging's {@code errorf}). */
    private static String formatted(LogRecord record) {
        return record.getParameters() == null ? record.getMessage()
                : String.format(record.getMessage(), record.getParameters());
    }
}
