using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Alerting.Service.Tests;

/// <summary>
/// The ward board signed in by the hospital's identity provider, in a real browser (headless Chromium): a real
/// OpenID Connect provider (OpenIddict over HTTP), Alerting as a process running the authorization code flow with PKCE.
/// A clinician gets the board; a person without the clinician role is sent back to the sign-in with the reason.
/// </summary>
public sealed class BoardOidcTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private RabbitMqBroker _broker = null!;
    private OidcProvider _idp = null!;
    private ServiceProcess _alerting = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _idp = await OidcProvider.StartAsync();
        _alerting = new ServiceProcess("Alerting", _broker.AmqpUri, new Dictionary<string, string>
        {
            ["Auth__Oidc__Authority"] = _idp.Issuer.ToString(),
            ["Auth__Oidc__Audience"] = "toxicity-api",
            ["Auth__Oidc__RequireHttpsMetadata"] = "false",
            ["Auth__Oidc__Board__ClientId"] = OidcProvider.BoardClientId,
        });
        await _alerting.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _alerting.DisposeAsync();
        await _idp.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task A_clinician_signs_in_with_the_hospital_account_and_a_person_without_the_role_is_refused()
    {
        _idp.SignInAs = ("dr-ada", ["clinician"]);
        using (var browser = WardBoardTests.StartChromium())
        {
            var wait = new WebDriverWait(browser, Deadline);
            await browser.Navigate().GoToUrlAsync(new Uri(_alerting.BaseAddress, "board/?ward=haem-3"));

            wait.Until(d => d.FindElement(By.Id("idp-sign-in")).Displayed);
            browser.FindElement(By.Id("idp-sign-in-link")).Click();

            // To the IdP and back (code, then the code exchanged with its PKCE verifier by the service): signed in.
            wait.Until(d => d.FindElement(By.Id("board")).Displayed);
            Assert.Equal("dr-ada", browser.FindElement(By.Id("user-name")).Text);
            Assert.Equal("haem-3", new Uri(browser.Url).Query.Split("ward=")[1]);
            wait.Until(d => d.FindElement(By.Id("connection")).Text == "Live");
        }

        _idp.SignInAs = ("nurse-kim", ["nurse"]);
        using (var browser = WardBoardTests.StartChromium())
        {
            var wait = new WebDriverWait(browser, Deadline);
            await browser.Navigate().GoToUrlAsync(new Uri(_alerting.BaseAddress, "board/?ward=haem-3"));
            wait.Until(d => d.FindElement(By.Id("idp-sign-in")).Displayed);
            browser.FindElement(By.Id("idp-sign-in-link")).Click();

            wait.Until(d => d.FindElement(By.Id("sign-in-error")).Text.Length > 0);
            Assert.Contains("for clinicians", browser.FindElement(By.Id("sign-in-error")).Text, StringComparison.Ordinal);
            Assert.False(browser.FindElement(By.Id("board")).Displayed);
        }
    }
}
