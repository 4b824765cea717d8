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

/// Refuses, before sending, a body that does not set every field of exactly
/// one of `members`, or that sets a field only another member has: the
/// operations whose body is one of several sets of fields
/// (`user_identities().merge()`: `user_identity_id` with
/// `merged_user_identity_ids`, or `user_identity_key` with
/// `merged_user_identity_keys`). Each member lists its fields and whether
/// the body sets each.
#[allow(dead_code)] // used by the generated code of some resources only
pub(crate) fn one_member(operation: &str, members: &[&[(&str, bool)]]) -> crate::Result<()> {
    // The fields the body sets, each once, in the members' order.
    let mut given: Vec<&str> = Vec::new();
    for (name, _) in members.iter().flat_map(|member| member.iter()).filter(|(_, set)| *set) {
        if !given.contains(name) {
            given.push(name);
        }
    }
    let complete: Vec<&&[(&str, bool)]> =
        members.iter().filter(|member| member.iter().all(|(_, set)| *set)).collect();
    if let [chosen] = complete.as_slice()
        && given.iter().all(|name| chosen.iter().any(|(own, _)| own == name))
    {
        return Ok(());
    }
    let sets: Vec<String> = members
        .iter()
        .map(|member| member.iter().map(|(name, _)| format!("`{name}`")).collect::<Vec<_>>().join(" and "))
        .collect();
    let given = if given.is_empty() {
        "none of them".to_owned()
    } else {
        given.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
    };
    Err(crate::Error::InvalidRequest(format!(
        "{operation} needs exactly one of these sets of fields: {}; this request sets {given}",
        sets.join(", or ")
    )))
}

#[cfg(test)]
mod tests {
    use super::one_member;

    const NAMES: [(&str, &str); 2] = [
        ("user_identity_id", "merged_user_identity_ids"),
        ("user_identity_key", "merged_user_identity_keys"),
    ];

    fn check(set: [bool; 4]) -> crate::Result<()> {
        let by_id = [(NAMES[0].0, set[0]), (NAMES[0].1, set[1])];
        let by_key = [(NAMES[1].0, set[2]), (NAMES[1].1, set[3])];
        one_member("user_identities.merge", &[&by_id, &by_key])
    }

    #[test]
    fn a_whole_member_is_sent() {
        assert!(check([true, true, false, false]).is_ok());
        assert!(check([false, false, true, true]).is_ok());
    }

    #[test]
    fn a_half_member_or_a_mix_is_refused_saying_what_is_needed() {
        for set in
            [[true, false, false, false], [false, true, false, true], [true, true, true, false], [false; 4]]
        {
            let error = check(set).unwrap_err().to_string();
            assert!(
                error.contains(
                    "user_identities.merge needs exactly one of these sets of fields: `user_identity_id` and \
                     `merged_user_identity_ids`, or `user_identity_key` and `merged_user_identity_keys`"
                ),
                "{error}"
            );
        }
        let error = check([true, false, false, false]).unwrap_err().to_string();
        assert!(error.ends_with("this request sets `user_identity_id`"), "{error}");
    }
}
