//! A Terraform block's values as the shared mapping to the model reads them
//! ([`crate::frontend::terraform::resources`]), evaluated by the module's instance.

use super::*;
use crate::frontend::terraform::resources::{Resource, Target, TrailIds, Values};

/// A resource block (or a block nested in one) of type `ty` named `name`.
pub(super) struct Hcl<'a, 'w> {
    inst: &'a Instance<'w>,
    ty: &'a str,
    name: &'a str,
    b: &'a Block,
    file: FileId,
}

impl<'a, 'w> Hcl<'a, 'w> {
    pub(super) fn new(
        inst: &'a Instance<'w>,
        ty: &'a str,
        name: &'a str,
        b: &'a Block,
        file: FileId,
    ) -> Hcl<'a, 'w> {
        Hcl {
            inst,
            ty,
            name,
            b,
            file,
        }
    }

    fn nested(&self, b: &'a Block) -> Hcl<'a, 'w> {
        Hcl { b, ..*self }
    }
}

impl Values for Hcl<'_, '_> {
    fn text(&self, key: &str) -> Option<Text> {
        self.inst.attr_text(self.b, self.file, key)
    }

    fn known(&self, key: &str) -> Option<Option<String>> {
        self.inst
            .block_attr(self.b, self.file, key)
            .map(|v| known_str(&v))
    }

    fn truth(&self, key: &str) -> Option<Truth> {
        self.inst
            .block_attr(self.b, self.file, key)
            .map(|v| truth_of(&v))
    }

    fn block<'s>(&'s self, name: &str) -> Option<Box<dyn Values + 's>> {
        let b = self.b.body.blocks().find(|x| x.ident.as_str() == name)?;
        Some(Box::new(self.nested(b)))
    }

    fn blocks<'s>(&'s self, name: &str) -> Vec<Box<dyn Values + 's>> {
        self.b
            .body
            .blocks()
            .filter(|x| x.ident.as_str() == name)
            .map(|b| Box::new(self.nested(b)) as Box<dyn Values + 's>)
            .collect()
    }

    /// The whole argument's span (`key = value`).
    fn spanned(&self, key: &str) -> Option<(Text, Span)> {
        let a = self.b.body.get_attribute(key)?;
        let v = self.inst.eval(&a.value, self.file, &Scope::default());
        if matches!(v.kind, NodeKind::Null) {
            return None;
        }
        let addr = self.inst.address(self.ty, self.name);
        let t = text_of(&v).unwrap_or_else(|| Text::unknown(format!("{addr}.{key}")));
        Some((t, span_of(self.file, a.span())))
    }

    fn value_span(&self, key: &str) -> Option<Span> {
        let a = self.b.body.get_attribute(key)?;
        Some(span_of(self.file, a.value.span()))
    }
}

impl Resource for Hcl<'_, '_> {
    fn address(&self) -> String {
        self.inst.address(self.ty, self.name)
    }

    fn span(&self) -> Span {
        span_of(self.file, self.b.span())
    }

    fn guard(&self) -> Guard {
        self.inst.resource_guard(self.b, self.file)
    }

    fn attach_policy(&self, m: &mut Model, target: Target) {
        self.inst
            .push_policy(m, self.b, self.file, "policy", target);
    }

    fn has_policy(&self) -> bool {
        self.b.body.get_attribute("policy").is_some()
    }

    fn bucket_name(&self) -> Text {
        self.inst.bucket_name(self.name)
    }

    fn policy_bucket(&self) -> Option<Text> {
        self.text("bucket")
    }

    fn key_idents(&self) -> Vec<Text> {
        vec![
            self.inst.key_id(self.name),
            self.inst.key_arn(self.name, Some(self.b)),
        ]
    }

    fn alias_arn(&self) -> Option<Text> {
        let span = self.span();
        match self
            .inst
            .resource_attr(self.ty, self.name, "arn", span)
            .kind
        {
            NodeKind::Str(t) => Some(t),
            _ => None,
        }
    }

    fn account(&self) -> Text {
        self.inst.account(Some(self.b))
    }

    fn trail_ids(&self) -> TrailIds {
        let b = Some(self.b);
        let name = self.inst.trail_name(self.name);
        TrailIds {
            arn: trail_arn(
                &self.inst.partition(b),
                &self.inst.region(b),
                &self.inst.account(b),
                &name,
            ),
            name,
            account: self.inst.account(b),
            partition: self.inst.partition(b),
            org_id: self.inst.provider_sym(Kind::OrgId, "organization_id", b),
        }
    }
}
