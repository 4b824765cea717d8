use serde::de::{IgnoredAny, MapAccess};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::__private::{Model, Outcome, Reports, Required, fields, next};
use crate::{Absent, ClientSessionToken, Timestamp};

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
///
/// It decodes as the generated models do: a field the spec requires that
/// the JSON lacks, or one whose value has the wrong type, holds its default
/// and is named in [`absent`](Self::absent).
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
// Seam adds fields over time: build it from `Default`, field by field.
#[non_exhaustive]
#[cfg_attr(feature = "schemars", schemars(transform = crate::__private::required_fields::<Self>))]
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
    /// omits it, so it is an `Option`: `None` when absent.
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
    pub user_identity_ids: Vec<String>,

    /// ID of the [user identity](https://docs.seam.co/capability-guides/mobile-access/managing-mobile-app-user-accounts-with-user-identities#what-is-a-user-identity)
    /// associated with the client session.
    pub user_identity_id: Option<String>,

    /// Customer key associated with the client session.
    pub customer_key: Option<String>,

    /// What the JSON sent that this value does not hold, and the required
    /// fields it left out, which hold their defaults (see [`Absent`]).
    #[cfg_attr(feature = "schemars", schemars(skip))]
    pub absent: Absent,
}

impl Model for ClientSession {
    const NAME: &'static str = "ClientSession";
    const FIELDS: &'static [&'static str] = &[
        "client_session_id",
        "workspace_id",
        "created_at",
        "expires_at",
        "token",
        "user_identifier_key",
        "device_count",
        "connected_account_ids",
        "connect_webview_ids",
        "user_identity_ids",
        "user_identity_id",
        "customer_key",
    ];
    const REQUIRED: &'static [Required] = &[
        Required::Field(0),
        Required::Field(1),
        Required::Field(2),
        Required::Nullable(3),
        Required::Field(4),
        Required::Nullable(5),
        Required::Field(6),
        Required::Field(7),
        Required::Field(8),
        Required::Field(9),
    ];

    fn field_index(key: &str) -> Option<usize> {
        // A match, as the generated models have: a search of FIELDS costs
        // a string comparison per field before it.
        Some(match key {
            "client_session_id" => 0,
            "workspace_id" => 1,
            "created_at" => 2,
            "expires_at" => 3,
            "token" => 4,
            "user_identifier_key" => 5,
            "device_count" => 6,
            "connected_account_ids" => 7,
            "connect_webview_ids" => 8,
            "user_identity_ids" => 9,
            "user_identity_id" => 10,
            "customer_key" => 11,
            _ => return None,
        })
    }

    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        reports: &mut Reports,
    ) -> Result<Outcome<()>, A::Error> {
        match index {
            0 => next(map, &mut self.client_session_id, reports),
            1 => next(map, &mut self.workspace_id, reports),
            2 => next(map, &mut self.created_at, reports),
            3 => next(map, &mut self.expires_at, reports),
            4 => next(map, &mut self.token, reports),
            5 => next(map, &mut self.user_identifier_key, reports),
            6 => next(map, &mut self.device_count, reports),
            7 => next(map, &mut self.connected_account_ids, reports),
            8 => next(map, &mut self.connect_webview_ids, reports),
            9 => next(map, &mut self.user_identity_ids, reports),
            10 => next(map, &mut self.user_identity_id, reports),
            11 => next(map, &mut self.customer_key, reports),
            _ => map.next_value::<IgnoredAny>().map(|_| Outcome::Null),
        }
    }

    fn absent_mut(&mut self) -> &mut Absent {
        &mut self.absent
    }

    fn absent(&self) -> &Absent {
        &self.absent
    }
}

impl<'de> Deserialize<'de> for ClientSession {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::__private::deserialize(deserializer)
    }
}

impl Serialize for ClientSession {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer, Self::NAME, Self::FIELDS.len(), &self.absent)?;
        out.required("client_session_id", &self.client_session_id)?;
        out.required("workspace_id", &self.workspace_id)?;
        out.required("created_at", &self.created_at)?;
        out.required("expires_at", &self.expires_at)?;
        out.required("token", &self.token)?;
        out.required("user_identifier_key", &self.user_identifier_key)?;
        out.required("device_count", &self.device_count)?;
        out.required("connected_account_ids", &self.connected_account_ids)?;
        out.required("connect_webview_ids", &self.connect_webview_ids)?;
        out.required("user_identity_ids", &self.user_identity_ids)?;
        out.optional("user_identity_id", &self.user_identity_id)?;
        out.optional("customer_key", &self.customer_key)?;
        out.end()
    }
}
