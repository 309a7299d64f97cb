// Company devices: runs the WebAuthn ceremony the page asks for ("create" to register this device,
// "get" to sign in with it) and posts the browser's answer as JSON in the form's "credential" field.
// Options come from the <script type="application/json" id="webauthn-options"> block (no inline code).
(function () {
  "use strict";

  function toBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var text = atob(base64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    if (!buffer) return null;
    var bytes = new Uint8Array(buffer);
    var text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (d) {
      var out = { type: d.type, id: toBytes(d.id) };
      if (d.transports) out.transports = d.transports;
      return out;
    });
  }

  function creationOptions(o) {
    var publicKey = Object.assign({}, o);
    publicKey.challenge = toBytes(o.challenge);
    publicKey.user = Object.assign({}, o.user, { id: toBytes(o.user.id) });
    publicKey.excludeCredentials = descriptors(o.excludeCredentials);
    return { publicKey: publicKey };
  }

  function requestOptions(o) {
    var publicKey = Object.assign({}, o);
    publicKey.challenge = toBytes(o.challenge);
    publicKey.allowCredentials = descriptors(o.allowCredentials);
    return { publicKey: publicKey };
  }

  function registrationJSON(credential) {
    var r = credential.response;
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toBase64url(r.clientDataJSON),
        attestationObject: toBase64url(r.attestationObject),
        transports: typeof r.getTransports === "function" ? r.getTransports() : []
      }
    };
  }

  function assertionJSON(credential) {
    var r = credential.response;
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toBase64url(r.clientDataJSON),
        authenticatorData: toBase64url(r.authenticatorData),
        signature: toBase64url(r.signature),
        userHandle: toBase64url(r.userHandle)
      }
    };
  }

  function start() {
    var form = document.getElementById("webauthn-form");
    var button = document.getElementById("webauthn-start");
    var source = document.getElementById("webauthn-options");
    if (!form || !button || !source) return;
    if (!window.PublicKeyCredential || !navigator.credentials) {
      document.getElementById("webauthn-unsupported").hidden = false;
      button.disabled = true;
      return;
    }
    var options = JSON.parse(source.textContent);
    var ceremony = form.getAttribute("data-ceremony");
    var errorBox = document.getElementById("webauthn-error");
    button.addEventListener("click", function () {
      button.disabled = true;
      errorBox.hidden = true;
      var pending = ceremony === "create"
        ? navigator.credentials.create(creationOptions(options)).then(registrationJSON)
        : navigator.credentials.get(requestOptions(options)).then(assertionJSON);
      pending.then(function (answer) {
        document.getElementById("webauthn-credential").value = JSON.stringify(answer);
        form.submit();
      }).catch(function (err) {
        errorBox.textContent = err && err.message ? err.message : String(err);
        errorBox.hidden = false;
        button.disabled = false;
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
