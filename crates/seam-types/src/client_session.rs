use serde::{Deserialize, Serialize};

use crate::{ClientSessionToken, Timestamp};

/// A [client session](https://docs.seam.co/core-concepts/authentication/client-session-tokens).
///
/// If you want to restrict your users' access to their own devices, use client
/// sessions. You create each client session with a custom
/// `user_identifier_key`, normally a user ID that your application provides.
/// A client session has a token that the Seam JavaScript SDK can use to make
/// requests from the browser directly to the Seam API, restricted to the
/// devices that user owns.
///
/// `Debug` output redacts the [`token`](Self::token).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ClientSession {
    /// ID of the client session.
    pub client_session_id: String,

    /// ID of the workspace associated with the client session.
    pub workspace_id: String,

    /// Date and time at which the client session was created.
    pub created_at: Timestamp,

    /// Date and time at which the client session expires.
    ///
    /// The spec marks it required, but Seam's documented sample response
    /// omits it, so a missing value decodes as `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,

    /// Client session token associated with the client session. A bearer
    /// credential: its `Debug` output is redacted.
    pub token: ClientSessionToken,

    /// Your user ID for the user associated with the client session, if any.
    pub user_identifier_key: Option<String>,

    /// Number of devices associated with the client session.
    ///
    /// The spec types it as a float; Seam sends whole numbers, and both `4`
    /// and `4.0` decode.
    #[serde(deserialize_with = "crate::de::count")]
    pub device_count: u64,

    /// IDs of the [connected accounts](https://docs.seam.co/core-concepts/connected-accounts)
    /// associated with the client session.
    pub connected_account_ids: Vec<String>,

    /// IDs of the [Connect Webviews](https://docs.seam.co/core-concepts/connect-webviews)
    /// associated with the client session.
    pub connect_webview_ids: Vec<String>,

    /// IDs of the user identities associated with the client session.
    ///
    /// Deprecated by Seam: use [`user_identity_id`](Self::user_identity_id)
    /// instead. Decodes as empty when a server no longer sends it.
    #[serde(default)]
    pub user_identity_ids: Vec<String>,

    /// ID of the [user identity](https://docs.seam.co/capability-guides/mobile-access/managing-mobile-app-user-accounts-with-user-identities#what-is-a-user-identity)
    /// associated with the client session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_identity_id: Option<String>,

    /// Customer key associated with the client session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_key: Option<String>,
}
