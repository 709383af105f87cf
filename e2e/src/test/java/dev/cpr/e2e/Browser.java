package dev.cpr.e2e;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless chromium driven through Debian's chromedriver (both named explicitly, so Selenium never tries
 * to download a browser or a driver), with a fresh profile each time.
 */
final class Browser implements AutoCloseable {

    private static final String CHROMIUM = System.getProperty("cpr.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("cpr.chromedriver", "/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final Path profile;
    private final String baseUrl;

    Browser(String baseUrl) {
        this.baseUrl = baseUrl;
        try {
            profile = Files.createTempDirectory("cpr-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1360,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    WebDriver driver() {
        return driver;
    }

    void open(String path) {
        driver.get(baseUrl + path);
    }

    /** Logs in through the login form with a token (the cookie then carries it). */
    void logIn(String token) {
        open("/logout");
        driver.findElement(By.id("token")).sendKeys(token);
        driver.findElement(By.id("login")).click();
        // the click can return before the redirect lands; a page opened then goes out without the login cookie and
        // ends on the login form (the likely, unconfirmed, cause of ConsoleDashboardIT's two CI failures, 2026-12-03)
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> driver.findElement(By.id("who")).isDisplayed());
    }

    /** What the page shows now, for a failure message: its address and the start of its text. */
    String describe() {
        try {
            String text = driver.findElement(By.tagName("body")).getText();
            return driver.getCurrentUrl() + ": " + (text.length() > 600 ? text.substring(0, 600) + "..." : text);
        } catch (RuntimeException e) {
            return driver.getCurrentUrl() + " (its text unreadable: " + e.getMessage() + ")";
        }
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /** The status of a POST sent by the page itself (same origin, its cookie), as a forged form or fetch would. */
    long postFromPage(String path) {
        Object status = driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {method: 'POST', credentials: 'same-origin'}).then(r => done(r.status), e => done(-1));",
                path);
        return ((Number) status).longValue();
    }

    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("[e2e] screenshot " + target.toAbsolutePath());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try {
                dev.cpr.contracts.node.LocalEtcdMember.deleteRecursively(profile);
            } catch (IOException e) {
                System.out.println("[e2e] could not delete the browser profile " + profile + ": " + e.getMessage());
            }
        }
    }
}
