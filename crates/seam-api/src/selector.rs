//! The two states of a request that needs one of several fields before it
//! can be sent.

/// A request that sets none of the fields it needs one of, so it has no
/// `send()` yet.
///
/// Some operations need one of several fields: `devices().get()` needs
/// `device_id` or `name`. Seam's spec marks each of them optional, so a
/// request that set none would compile and fail at run time; instead the
/// method returns the request in this state, and setting one of the fields
/// turns it into a request that can be sent ([`Selected`]):
///
/// ```no_run
/// # async fn example(seam: seam_api::Seam) -> seam_api::Result<()> {
/// let device = seam.devices().get().device_id("a_device_id").send().await?;
/// # Ok(())
/// # }
/// ```
///
/// ```compile_fail
/// # async fn example(seam: seam_api::Seam) -> seam_api::Result<()> {
/// let device = seam.devices().get().send().await?; // neither device_id nor name
/// # Ok(())
/// # }
/// ```
///
/// Each such method's documentation lists its fields. A request type's
/// state parameter defaults to [`Selected`], so `devices::GetRequest<'_>`
/// names the one that can be sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unselected;

/// A request that sets one of the fields it needs one of, or needs none: it
/// can be sent. See [`Unselected`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Selected;
