//! Client sessions (`/client_sessions/*`): scoped credentials that let your
//! users' browsers and apps call Seam for their own devices only.

use seam_types::ClientSession;

use crate::client::Seam;
use crate::error::Result;
use crate::response::ApiResponse;
use crate::retry::Access;
use crate::wire;

/// Operations on client sessions; from [`Seam::client_sessions`].
#[derive(Clone, Copy, Debug)]
pub struct ClientSessions<'a> {
    seam: &'a Seam,
}

impl<'a> ClientSessions<'a> {
    pub(crate) fn new(seam: &'a Seam) -> Self {
        Self { seam }
    }

    /// Get a client session: `POST /client_sessions/get`.
    ///
    /// Returns a specified client session, chosen by
    /// [`client_session_id`](GetClientSession::client_session_id) or
    /// [`user_identifier_key`](GetClientSession::user_identifier_key).
    /// Authenticated with a client session token, an empty request returns
    /// that token's own session.
    pub fn get(&self) -> GetClientSession<'a> {
        GetClientSession { seam: self.seam, body: wire::ClientSessionsGetBody::default() }
    }
}

/// A `POST /client_sessions/get` request; send it with
/// [`send`](Self::send).
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct GetClientSession<'a> {
    seam: &'a Seam,
    body: wire::ClientSessionsGetBody,
}

impl GetClientSession<'_> {
    /// ID of the client session to get.
    pub fn client_session_id(mut self, client_session_id: impl Into<String>) -> Self {
        self.body.client_session_id = Some(client_session_id.into());
        self
    }

    /// User identifier key of the client session to get.
    pub fn user_identifier_key(mut self, user_identifier_key: impl Into<String>) -> Self {
        self.body.user_identifier_key = Some(user_identifier_key.into());
        self
    }

    /// Sends the request and returns the client session.
    pub async fn send(self) -> Result<ClientSession> {
        Ok(self.send_raw().await?.into_body().client_session)
    }

    /// Sends the request and returns the whole response: status, headers
    /// and the decoded body (`client_session` and `ok`).
    pub async fn send_raw(self) -> Result<ApiResponse<wire::ClientSessionsGetResponse>> {
        self.seam.call(Access::Read, |api| api.client_sessions_get().body(self.body.clone()).send()).await
    }
}
