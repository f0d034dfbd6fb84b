package it.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium driven by its own chromedriver (never a downloaded browser), with the waits and
 * screenshots the admin UI tests need. One per test; close it.
 */
final class Browser implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;
  private final WebDriverWait wait;

  Browser(int width, int height) {
    String home = System.getenv("HOME");
    try {
      if (home != null) {
        Files.createDirectories(Path.of(home));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot create HOME " + home + " for Chromium", e);
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-extensions",
        "--no-first-run",
        "--disable-component-update",
        "--window-size=" + width + "," + height);
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, DEADLINE);
  }

  WebDriver driver() {
    return driver;
  }

  void open(String url) {
    driver.get(url);
  }

  void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** Waits until the element is visible, and returns it. */
  WebElement find(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  List<WebElement> all(By by) {
    return driver.findElements(by);
  }

  /** Waits until the element can be clicked, then clicks it. */
  void click(By by) {
    wait.until(ExpectedConditions.elementToBeClickable(by)).click();
  }

  void type(By by, String text) {
    WebElement field = find(by);
    field.clear();
    field.sendKeys(text);
  }

  void choose(By by, String value) {
    new Select(find(by)).selectByValue(value);
  }

  /** Waits until the element's text contains {@code text}, and returns the element. */
  WebElement waitForText(By by, String text) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    return driver.findElement(by);
  }

  <T> T until(Function<WebDriver, T> condition) {
    return wait.until(condition);
  }

  <T> T until(Duration deadline, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, deadline).until(condition);
  }

  /** Waits for the page's confirmation dialog and presses its OK button. */
  void confirm() {
    find(By.cssSelector("dialog#confirm[open]"));
    click(By.id("confirm-ok"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog#confirm")));
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /**
   * Saves the whole page (not only the viewport) as target/screenshots/{name}.png: the window is
   * made as tall as the page for the shot, then put back.
   */
  Path screenshot(String name) {
    Dimension size = driver.manage().window().getSize();
    long height =
        ((Number) script("return document.documentElement.scrollHeight;")).longValue()
            + (size.getHeight() - viewportHeight());
    try {
      if (height > size.getHeight()) {
        driver.manage().window().setSize(new Dimension(size.getWidth(), (int) height));
      }
      // Charts redraw on resize; give them the frame they need.
      script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));");
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Files.createDirectories(SCREENSHOTS);
      Path target = SCREENSHOTS.resolve(name + ".png");
      Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new IllegalStateException("could not save screenshot " + name, e);
    } finally {
      driver.manage().window().setSize(size);
    }
  }

  private long viewportHeight() {
    return ((Number) script("return window.innerHeight;")).longValue();
  }

  /** What the pages wrote to the console since the last call. */
  List<String> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::getMessage)
        .toList();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
